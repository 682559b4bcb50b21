/**
 * dynamodb-scan: a Scan on a request path reads (and bills) every item of the
 * table or index, however few it returns; its latency and cost grow with the
 * table, not with the answer.
 */
import type { CodeRule } from "../code/code-rule.js";
import { handlerCalls } from "../code/function-code.js";
import { docsFor } from "../rule.js";
import {
  callText,
  DYNAMODB_PACKAGES,
  isDynamoDbCommand,
  isDynamoDbMethod,
} from "./code-patterns.js";

export const dynamodbScan: CodeRule = {
  meta: {
    id: "dynamodb-scan",
    severity: "warning",
    title: "DynamoDB Scan in a handler",
    rationale:
      "A Scan reads every item in the table and is billed for all of them, however few match the filter; a request's latency and cost then grow with the table.",
    fix: "Query by a key instead: design the partition key (or add a global secondary index) around the access pattern. Keep Scan for batch jobs, with a Limit.",
    docs: docsFor("dynamodb-scan"),
  },
  check(fn) {
    return handlerCalls(fn).flatMap(({ module, item: call }) => {
      const scan =
        isDynamoDbCommand(call, ["ScanCommand"]) ||
        DYNAMODB_PACKAGES.some((pkg) => call.qualifiedName === `${pkg}.paginateScan`) ||
        isDynamoDbMethod(fn, call, ["scan"]) ||
        (call.name === "get_paginator" && call.firstStringArgument === "scan");
      if (!scan) return [];
      return [
        {
          file: module.file,
          position: call.position,
          message: `${callText(call)} scans a DynamoDB table on every invocation: it reads, and bills, every item.`,
        },
      ];
    });
  },
};
