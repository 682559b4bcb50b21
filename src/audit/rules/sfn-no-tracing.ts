/** sfn-no-tracing (serverless-rules WS5000): a state machine without X-Ray tracing hides where its time goes. */
import { isPlainObject } from "../../plain-object.js";
import { type AuditRule, docsFor } from "../rule.js";
import { isTrue } from "./service-helpers.js";

export const sfnNoTracing: AuditRule = {
  meta: {
    id: "sfn-no-tracing",
    severity: "warning",
    title: "Step Functions state machine without tracing",
    rationale:
      "Without X-Ray tracing a workflow's latency cannot be broken down by state and by the Lambda functions it calls, so the slow or retried step (which bills for every attempt) stays hidden. serverless-rules WS5000.",
    fix: "Set TracingConfiguration.Enabled: true (AWS::StepFunctions::StateMachine) or Tracing.Enabled: true (AWS::Serverless::StateMachine).",
    docs: docsFor("sfn-no-tracing"),
  },
  check(context) {
    const machines = [
      ...context
        .resourcesOfType("AWS::StepFunctions::StateMachine")
        .map((machine) => ({ machine, key: "TracingConfiguration" })),
      ...context
        .resourcesOfType("AWS::Serverless::StateMachine")
        .map((machine) => ({ machine, key: "Tracing" })),
    ];
    return machines.flatMap(({ machine, key }) => {
      const tracing = machine.properties[key];
      if (isPlainObject(tracing) && isTrue(tracing.Enabled)) return [];
      const path = context.propertyPath(
        machine.logicalId,
        isPlainObject(tracing) ? [key, "Enabled"] : [key],
      );
      return [
        {
          resource: machine.logicalId,
          path,
          message: `State machine ${machine.logicalId} does not have ${key}.Enabled set to true: its states and the functions they call are not traced.`,
        },
      ];
    });
  },
};
