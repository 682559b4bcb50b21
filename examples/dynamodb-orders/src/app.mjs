// POST /orders: store the order in DynamoDB and answer 201 with its id.
// @aws-sdk/* is not in package.json: Lambda's Node.js runtime provides it,
// and so does lambda-optimizer's emulator.
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";

// Made once per execution environment (init), reused by every invocation.
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = process.env.TABLE_NAME;

export const handler = async (event) => {
  let order;
  try {
    order = JSON.parse(event.body ?? "{}");
  } catch {
    return reply(400, { message: "the body is not JSON" });
  }
  if (!Array.isArray(order.items) || order.items.length === 0) {
    return reply(400, { message: "an order needs items: [{sku, quantity, priceCents}]" });
  }
  const item = {
    orderId: order.orderId ?? randomUUID(),
    customerId: String(order.customerId ?? "anonymous"),
    items: order.items,
    totalCents: order.items.reduce(
      (sum, line) => sum + Number(line.quantity ?? 1) * Number(line.priceCents ?? 0),
      0,
    ),
    createdAt: new Date().toISOString(),
  };
  await documents.send(new PutCommand({ TableName: tableName, Item: item }));
  return reply(201, { orderId: item.orderId, totalCents: item.totalCents });
};

function reply(statusCode, body) {
  return {
    statusCode,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}
