/**
 * What a run rests on that AWS does not document, labelled in every result
 * (`modelled`) with why; and the notes a reader of the result needs.
 */
import {
  ACCOUNT_CONCURRENCY,
  BATCH_PAYLOAD_BYTES,
  DYNAMODB_POLL_SECONDS,
  SQS_RECEIVE_SECONDS,
  SQS_SCALING_TICK_SECONDS,
  THROTTLE_BACKOFF_SECONDS,
} from "./lambda-figures.js";
import type { EngineOutcome } from "./mapping-engine.js";
import type { Scenario } from "./scenario.js";
import type { ModelledFigure } from "./simulation-result.js";
import type { EngineModel } from "./source-models.js";

export function modelledFigures(scenario: Scenario, model: EngineModel): ModelledFigure[] {
  const mapping = scenario.mapping;
  const figures: ModelledFigure[] = [
    {
      name: "batch duration",
      value: `${scenario.function.overheadMs} ms + ${scenario.function.perRecordMs} ms × records`,
      why: "every batch of the same size takes the same time; real durations vary around it",
    },
    {
      name: "failures",
      value: scenario.function.errorRate,
      why: "each attempt fails independently at the error rate (per batch, or per record with ReportBatchItemFailures); a record that always fails is not modelled",
    },
  ];
  if (scenario.arrivals.process === "poisson")
    figures.push({
      name: "Poisson records per drawn chunk",
      value: Math.max(1, Math.ceil(arrivalTotal(scenario) / 1_000_000)),
      why: "arrivals are drawn a chunk at a time (exact Poisson spacing between chunks, even spacing within one) so a long run stays fast; 1 is exact",
    });
  if (scenario.function.reservedConcurrency === undefined)
    figures.push({
      name: "concurrency available",
      value: ACCOUNT_CONCURRENCY,
      why: "no reserved concurrency: the account's default Regional quota, as if no other function used it",
    });
  if (mapping.source === "sqs") {
    figures.push(
      {
        name: "one batch gathers at a time",
        value: true,
        why: "with a batching window, records wait in one batch until it is full or the window ends; AWS does not say how idle pollers share a window",
      },
      {
        name: "idle receive interval (s)",
        value: SQS_RECEIVE_SECONDS,
        why: "with no batching window the pollers receive every ReceiveMessage round trip (about 20 ms; AWS publishes no figure): each receive takes what waits, in batches of up to BatchSize, one per free poller",
      },
      {
        name: "poller rescaling interval (s)",
        value: SQS_SCALING_TICK_SECONDS,
        why: "AWS gives the rate (300 a minute) not the step: 5 more pollers a second while records wait and no invocation was throttled in that second; back to the first 5 when none wait",
      },
      {
        name: "throttled poller back-off (s)",
        value: THROTTLE_BACKOFF_SECONDS,
        why: "a throttled batch returns after the visibility timeout (AWS); how long the poller waits before its next receive is not published",
      },
    );
    if (mapping.fifo)
      figures.push({
        name: "FIFO batches hold one message group",
        value: true,
        why: "AWS lets a FIFO batch mix groups; one group per batch keeps each group's order, records spread evenly over the groups",
      });
  } else if (mapping.source === "kafka") {
    figures.push({
      name: "records per partition",
      value: "even",
      why: "records spread evenly over the partitions; a batch holds one partition's records, one batch per partition at a time",
    });
  } else {
    figures.push({
      name: "partition keys",
      value: "many, even",
      why: "records spread evenly over enough partition keys that each of a shard's ParallelizationFactor lanes takes an equal share, in order",
    });
    if (mapping.source === "kinesis")
      figures.push({
        name: "Kinesis lane read interval at least (s)",
        value: 0.2,
        why: "a shard serves 5 GetRecords calls a second (Kinesis quota); with ParallelizationFactor above 1 each lane is taken to keep that pace",
      });
    if (mapping.source === "dynamodb")
      figures.push({
        name: "DynamoDB shard poll interval (s)",
        value: DYNAMODB_POLL_SECONDS,
        why: "an idle shard is polled 4 times a second; we could not re-read AWS's figure for it",
      });
    figures.push({
      name: "retry delay (s)",
      value: 0,
      why: "a failed batch is retried as soon as it fails; Lambda's back-off between stream retries is not published",
    });
    if (mapping.tumblingWindowSeconds > 0)
      figures.push({
        name: "tumbling window end",
        value: "one extra overhead-only invocation per lane and window",
        why: "Lambda ends each window with a final invocation carrying the state; batches do not cross a window's end",
      });
  }
  if (scenario.recordBytes * scenario.mapping.batchSize > BATCH_PAYLOAD_BYTES)
    figures.push({
      name: "records per batch at most",
      value: model.batchMax,
      why: `a batch is at most 6 MB (${BATCH_PAYLOAD_BYTES.toLocaleString("en-US")} bytes), so ${scenario.recordBytes}-byte records fill it first`,
    });
  return figures;
}

export function simulationNotes(
  scenario: Scenario,
  model: EngineModel,
  outcome: EngineOutcome,
  backlogEnd: number,
): string[] {
  const notes: string[] = [];
  const fn = scenario.function;
  const longest = fn.overheadMs + fn.perRecordMs * model.batchMax;
  if (longest > fn.timeoutSeconds * 1000)
    notes.push(
      `a full batch takes ${longest.toFixed(0)} ms, past the ${fn.timeoutSeconds} s timeout: it times out and is retried`,
    );
  if (outcome.throttles > 0)
    notes.push(
      `${outcome.throttles.toLocaleString("en-US")} batches throttled: the function's concurrency (${model.concurrencyLimit}) is below what the mapping asks for`,
    );
  if (outcome.arrived > 0 && backlogEnd > outcome.arrived * 0.05)
    notes.push(
      `${backlogEnd.toLocaleString("en-US")} records still waiting at the end: the mapping falls behind the traffic`,
    );
  if (outcome.discarded > 0)
    notes.push(
      `${outcome.discarded.toLocaleString("en-US")} records given up (dead-letter queue, retries or age limit, or expired)`,
    );
  const mapping = scenario.mapping;
  if (mapping.source === "sqs" && mapping.visibilityTimeoutSeconds < 6 * fn.timeoutSeconds)
    notes.push(
      `the visibility timeout (${mapping.visibilityTimeoutSeconds} s) is below 6 × the function timeout (${6 * fn.timeoutSeconds} s), which AWS recommends`,
    );
  return notes;
}

function arrivalTotal(scenario: Scenario): number {
  let total = 0;
  for (let index = 0; index < scenario.arrivals.perSecond.length; index++)
    total += scenario.arrivals.perSecond[index]! * scenario.arrivals.stepSeconds;
  return total;
}
