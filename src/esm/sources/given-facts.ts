/**
 * The facts about a function and its source the caller gave as options: they
 * win over what a template or the Lambda API says. Only options the caller
 * really gave count (not the schema's defaults), so a template's MemorySize
 * is not overridden by a default of 1,024 MB.
 */
import type { Architecture } from "../../pricing/price-table.js";

export interface GivenFacts {
  readonly memoryMb?: number;
  readonly architecture?: Architecture;
  readonly timeoutSeconds?: number;
  readonly reservedConcurrency?: number;
  readonly ephemeralStorageMb?: number;
  /** Kinesis, DynamoDB Streams: the stream's shards. */
  readonly shards?: number;
  /** Kafka: the topic's partitions. */
  readonly partitions?: number;
}
