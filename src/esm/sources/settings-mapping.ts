/**
 * One mapping given by its settings alone, as AWS's esm_optimize takes them
 * (`configs` in the Lambda API's names, with the event source): the mapping
 * an agent is designing or has read with get-event-source-mapping. The
 * settings and the guide's fixed advice are esm-config's reading of them;
 * everything else (the function, the queue, the stream) is what the caller
 * gave as options, else Lambda's and the services' defaults, labelled so.
 */
import { checkEventSourceMappings } from "../../audit/esm-check.js";
import type { EsmEventSource } from "../../audit/esm-check-options.js";
import { DEFAULTS } from "../../lambda/limits.js";
import type { OptionName } from "../../options.js";
import type { ModelledFigure } from "../simulation/simulation-result.js";
import type { GivenFacts } from "./given-facts.js";
import {
  type FunctionFacts,
  type MappingFacts,
  MODELLED_SHARDS,
  mappingModelOf,
  QUEUE_DEFAULTS,
} from "./mapping-facts.js";

export interface SettingsMappingRequest {
  readonly settings: Record<string, unknown>;
  readonly eventSource?: EsmEventSource | undefined;
  readonly fifo?: boolean | undefined;
  readonly given: GivenFacts;
}

/** The one mapping the settings describe; a UsageError (naming eventSource) when its source cannot be told. */
export function settingsMapping(request: SettingsMappingRequest, nameOf: OptionName): MappingFacts {
  const report = checkEventSourceMappings(
    {
      settings: request.settings as Record<string, never>,
      ...(request.eventSource !== undefined ? { eventSource: request.eventSource } : {}),
      ...(request.fifo !== undefined ? { fifo: request.fifo } : {}),
    },
    nameOf,
  );
  const checked = report.mappings[0]!;
  const kind = checked.eventSource;
  // The checks refuse settings whose source they cannot tell (naming eventSource).
  if (kind === "other") throw new Error("esm-config read given settings as another source");
  // Settings as get-event-source-mapping prints them carry the mapping's UUID.
  const id = typeof request.settings.UUID === "string" ? request.settings.UUID : checked.id;
  const modelled: ModelledFigure[] = [];
  const notes: string[] = [];
  const assumed = <T extends number | string>(name: string, value: T, why: string): T => {
    modelled.push({ name: `${id}: ${name}`, value, why });
    return value;
  };
  const given = request.given;
  if (kind === "sqs" && checked.settings.fifo)
    assumed("messageGroups", 1, "not given: one group, so its batches run one at a time");
  if (kind === "sqs")
    notes.push(
      `${id}: the queue's VisibilityTimeout (${QUEUE_DEFAULTS.visibilityTimeoutSeconds} s), retention and redrive policy are not in the settings given: SQS's defaults`,
    );
  const shards =
    kind === "kinesis" || kind === "dynamodb"
      ? (given.shards ?? assumed("shards", MODELLED_SHARDS, "not given: give shards"))
      : MODELLED_SHARDS;
  const partitions =
    kind === "kafka"
      ? (given.partitions ?? assumed("partitions", MODELLED_SHARDS, "not given: give partitions"))
      : MODELLED_SHARDS;
  const pollers = (request.settings.ProvisionedPollerConfig as { MinimumPollers?: unknown })
    ?.MinimumPollers;
  const mapping = mappingModelOf(kind, checked.settings, {
    shards,
    partitions,
    pollers: typeof pollers === "number" ? pollers : undefined,
  });
  const fn: FunctionFacts = {
    name: null,
    memoryMb:
      given.memoryMb ?? assumed("MemorySize", DEFAULTS.memoryMb, "not given: Lambda's default"),
    architecture:
      given.architecture ??
      assumed("Architectures", DEFAULTS.architecture, "not given: Lambda's default"),
    timeoutSeconds:
      given.timeoutSeconds ??
      assumed("Timeout", DEFAULTS.timeoutSeconds, "not given: Lambda's default"),
    reservedConcurrency: given.reservedConcurrency,
    ephemeralStorageMb: given.ephemeralStorageMb ?? DEFAULTS.ephemeralStorageMb,
  };
  return {
    id,
    label: id === checked.id ? checked.label : `event source mapping ${id}`,
    eventSource: kind,
    function: null,
    line: null,
    mapping,
    fn,
    advice: checked.findings,
    names: {},
    modelled,
    notes,
  };
}
