/**
 * Lambda's hard limits, as data. Every figure names the page it comes from so a
 * reader can check it against AWS when AWS changes it.
 */

const QUOTAS_PAGE = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";

export interface Range {
  readonly min: number;
  readonly max: number;
  /** Smallest allowed step between values; 0 for a measure that takes any value in the range. */
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

/** How long one invocation can run: the longest timeout. */
export const DURATION_MS: Range = {
  min: 0,
  max: TIMEOUT_SECONDS.max * 1000,
  step: 0,
  unit: "ms",
  source: QUOTAS_PAGE,
};

/**
 * How long an init phase can run. Lambda stops an on-demand init at 10 s, but
 * then retries it inside the first invocation under the function's timeout,
 * and provisioned concurrency and SnapStart inits run longer too: so the
 * longest init a REPORT line or a model may hold is the longest timeout.
 */
export const INIT_DURATION_MS: Range = {
  min: 0,
  max: TIMEOUT_SECONDS.max * 1000,
  step: 0,
  unit: "ms",
  source: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html",
};

/**
 * Billed duration: the duration rounded up to 1 ms, plus the init phase
 * where it is billed (on-demand cold starts since 1 August 2025).
 */
export const BILLED_DURATION_MS: Range = {
  min: 0,
  max: DURATION_MS.max + INIT_DURATION_MS.max,
  step: 0,
  unit: "ms",
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
    (range.step === 0 || Number.isInteger((value - range.min) / range.step))
  );
}

export function describeRange(range: Range): string {
  const step = range.step === 0 ? "" : range.step === 1 ? " whole" : ` in steps of ${range.step}`;
  return `a${step} number from ${range.min.toLocaleString("en-US")} to ${range.max.toLocaleString("en-US")} ${range.unit}`;
}
