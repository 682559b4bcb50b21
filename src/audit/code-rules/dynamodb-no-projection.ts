/**
 * dynamodb-no-projection: a Query or GetItem that reads whole items. Read
 * capacity is billed per 4 KB read and the response is parsed in full; asking
 * for the attributes the code uses makes large items cheaper to move and
 * parse.
 */
import type { CallSite } from "../code/code-model.js";
import type { CodeRule } from "../code/code-rule.js";
import { type FunctionCode, handlerCalls } from "../code/function-code.js";
import { docsFor } from "../rule.js";
import { callText, isDynamoDbCommand, isDynamoDbMethod } from "./code-patterns.js";

const PROJECTING_KEYS = ["ProjectionExpression", "AttributesToGet", "Select"];

function isItemRead(fn: FunctionCode, call: CallSite): boolean {
  if (isDynamoDbCommand(call, ["QueryCommand", "GetItemCommand", "GetCommand"])) return true;
  // boto3 and v2 methods: the key arguments say it is DynamoDB's query/get_item.
  const keys = call.argumentKeys ?? [];
  return (
    (isDynamoDbMethod(fn, call, ["query"]) && keys.includes("KeyConditionExpression")) ||
    (isDynamoDbMethod(fn, call, ["get_item", "getItem", "get"]) && keys.includes("Key"))
  );
}

export const dynamodbNoProjection: CodeRule = {
  meta: {
    id: "dynamodb-no-projection",
    severity: "info",
    title: "DynamoDB read of whole items with no ProjectionExpression",
    rationale:
      "Without a ProjectionExpression, Query and GetItem return every attribute: more data over the wire and more to parse. (Read capacity is billed on the item size either way.)",
    fix: "Add a ProjectionExpression naming the attributes the code uses.",
    docs: docsFor("dynamodb-no-projection"),
  },
  check(fn) {
    return handlerCalls(fn).flatMap(({ module, item: call }) => {
      // Only literal arguments can be checked; a variable may set it.
      if (call.argumentKeys === undefined || !isItemRead(fn, call)) return [];
      if (call.argumentKeys.some((key) => PROJECTING_KEYS.includes(key))) return [];
      return [
        {
          file: module.file,
          position: call.position,
          message: `${callText(call)} reads whole items: no ProjectionExpression.`,
        },
      ];
    });
  },
};
