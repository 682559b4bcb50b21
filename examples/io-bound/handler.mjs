// An I/O-bound function: it spends its time waiting on a (simulated) downstream
// call, so more memory buys almost no speed and only costs more. Tuning it
// should pick the smallest size: `lambda-optimizer tune examples/io-bound/handler.mjs:handler`.
import { setTimeout as wait } from "node:timers/promises";

export const handler = async (event = {}) => {
  const latencyMs = Number(event.latencyMs ?? 100);
  await wait(latencyMs); // e.g. a DynamoDB or HTTP call
  const items = Array.from({ length: 200 }, (_, index) => ({ id: index, total: index * 3 }));
  return { items: items.length, sum: items.reduce((sum, item) => sum + item.total, 0) };
};
