/**
 * provisioned-concurrency-async: provisioned concurrency bills every hour to
 * keep environments warm for callers who wait; a function nobody waits for
 * (events, queues, streams, schedules, stack deployments) pays that for no
 * one's benefit. The guide: "Not recommended for asynchronous or batch
 * processing workloads".
 */
import {
  asynchronousTriggers,
  customResourcesServed,
  polledTriggers,
  provisionedConcurrency,
  schedulerSchedules,
  waitingCallers,
} from "../function-facts.js";
import { type AuditRule, docsFor } from "../rule.js";

export const provisionedConcurrencyAsync: AuditRule = {
  meta: {
    id: "provisioned-concurrency-async",
    severity: "warning",
    title: "Provisioned concurrency on a function nobody waits for",
    rationale:
      "Provisioned concurrency is billed for every hour it is configured, used or not, to hide cold starts from callers who wait; asynchronous and batch invocations have no such caller, and a cold start there costs only a little latency.",
    fix: "Remove ProvisionedConcurrencyConfig; if throughput is the concern, use ReservedConcurrentExecutions or the event source's batching and concurrency settings.",
    docs: docsFor("provisioned-concurrency-async"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      const places = provisionedConcurrency(context, fn);
      // Any caller that waits (an API, a URL, a load balancer, a Cognito trigger) may justify it.
      if (places.length === 0 || waitingCallers(context, fn).length > 0) return [];
      const triggers = [
        ...asynchronousTriggers(context, fn),
        ...polledTriggers(context, fn),
        ...schedulerSchedules(context, fn),
        // CloudFormation calls a custom resource's function on stack operations, not per request.
        ...customResourcesServed(context, fn).map((resource) => `custom resource ${resource}`),
      ];
      // Nothing in the template invokes it: it may be called directly, synchronously.
      if (triggers.length === 0) return [];
      return places.map((place) => ({
        resource: place.resource,
        path: place.path,
        message: `${fn.logicalId} has provisioned concurrency${place.resource === fn.logicalId ? "" : ` (on ${place.resource})`} but is invoked only asynchronously or in batches (${triggers.join(", ")}): it pays every hour to keep environments warm for callers that do not wait.`,
      }));
    });
  },
};
