/**
 * Progress on stderr for long work: a bar with an ETA on a terminal, a plain
 * line per step otherwise, nothing with --quiet. Retries of AWS calls show
 * on the bar as a count with the last reason, or as a line each.
 */
import cliProgress from "cli-progress";
import type { AwsRetry } from "../aws/client-config.js";

export interface Progress {
  start(total: number): void;
  step(label?: string): void;
  note(message: string): void;
  /** An AWS call is being retried (see aws/retry-reporting.ts). */
  retry(retry: AwsRetry): void;
  stop(): void;
}

/** "retrying Invoke (attempt 2 of 6): HTTP 500" */
export function describeRetry(retry: AwsRetry): string {
  const operation = retry.operation.replace(/Command$/, "");
  return `retrying ${operation} (attempt ${retry.attempt} of ${retry.maxAttempts}): ${retry.reason}`;
}

export function createProgress(options: { quiet?: boolean; unit: string }): Progress {
  if (options.quiet) return { start() {}, step() {}, note() {}, retry() {}, stop() {} };
  if (!process.stderr.isTTY) {
    return {
      start: (total) => process.stderr.write(`${total} ${options.unit} to run\n`),
      step: (label) => {
        if (label) process.stderr.write(`${label}\n`);
      },
      note: (message) => process.stderr.write(`${message}\n`),
      retry: (retry) => process.stderr.write(`${describeRetry(retry)}\n`),
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `{bar} {percentage}% | {value}/{total} ${options.unit} | ETA {eta_formatted} | {label}{retries}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let label = "";
  let retried = 0;
  let retries = "";
  return {
    start: (total) => bar.start(total, 0, { label, retries }),
    step: (next) => {
      if (next !== undefined) {
        label = next;
        bar.update({ label, retries });
      } else bar.increment(1, { label, retries });
    },
    note: (message) => {
      label = message;
      bar.update({ label, retries });
    },
    retry: (retry) => {
      retried++;
      retries = ` | ${retried} ${retried === 1 ? "retry" : "retries"}, last: ${describeRetry(retry)}`;
      bar.update({ label, retries });
    },
    stop: () => bar.stop(),
  };
}
