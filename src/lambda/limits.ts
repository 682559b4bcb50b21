/**
 * Lambda's hard limits, as data. Every figure names the page it comes from so a
 * reader can check it against AWS when AWS changes it.
 */

const QUOTAS_PAGE = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";

export interface Range {
  readonly min: number;
  readonly max: number;
  /** Smallest allowed step between values. */
  readonly step: number;
  readonly unit: string;
  readonly source: string;
}

export const MEMORY_MB: Range = {
  min: 128,
  max: 10_240,
  step: 1,
  unit: "MB",
  source: QUOTAS_PAGE,
};

export const TIMEOUT_SECONDS: Range = {
  min: 1,
  max: 900,
  step: 1,
  unit: "s",
  source: QUOTAS_PAGE,
};

export const EPHEMERAL_STORAGE_MB: Range = {
  min: 512,
  max: 10_240,
  step: 1,
  unit: "MB",
  source: QUOTAS_PAGE,
};

/** The /tmp size that costs nothing extra: storage is billed above it. */
export const FREE_EPHEMERAL_STORAGE_MB = 512;

const MB = 1024 * 1024;

export const PAYLOAD_LIMIT_BYTES = {
  /** Request and response of a synchronous (RequestResponse) invocation. */
  synchronous: 6 * MB,
  /** Event payload of an asynchronous (Event) invocation. */
  asynchronous: 1 * MB,
  /** Response body of a streamed response (the first 6 MB are free of the streaming charge). */
  streamedResponse: 200 * MB,
  source: QUOTAS_PAGE,
} as const;

/** Lambda's default configuration when a template leaves the setting out. */
export const DEFAULTS = {
  memoryMb: 128,
  timeoutSeconds: 3,
  ephemeralStorageMb: 512,
  architecture: "x86_64",
  source: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
} as const;

export function isWithin(range: Range, value: number): boolean {
  return (
    Number.isFinite(value) &&
    value >= range.min &&
    value <= range.max &&
    Number.isInteger((value - range.min) / range.step)
  );
}

export function describeRange(range: Range): string {
  const step = range.step === 1 ? "whole" : `in steps of ${range.step}`;
  return `a ${step} number from ${range.min.toLocaleString("en-US")} to ${range.max.toLocaleString("en-US")} ${range.unit}`;
}
