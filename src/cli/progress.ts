/**
 * Progress on stderr for long work: a bar with an ETA on a terminal, a plain
 * line per step otherwise, nothing with --quiet.
 */
import cliProgress from "cli-progress";

export interface Progress {
  start(total: number): void;
  step(label?: string): void;
  note(message: string): void;
  stop(): void;
}

export function createProgress(options: { quiet?: boolean; unit: string }): Progress {
  if (options.quiet) return { start() {}, step() {}, note() {}, stop() {} };
  if (!process.stderr.isTTY) {
    return {
      start: (total) => process.stderr.write(`${total} ${options.unit} to run\n`),
      step: (label) => {
        if (label) process.stderr.write(`${label}\n`);
      },
      note: (message) => process.stderr.write(`${message}\n`),
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `{bar} {percentage}% | {value}/{total} ${options.unit} | ETA {eta_formatted} | {label}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let label = "";
  return {
    start: (total) => bar.start(total, 0, { label }),
    step: (next) => {
      if (next !== undefined) {
        label = next;
        bar.update({ label });
      } else bar.increment(1, { label });
    },
    note: (message) => {
      label = message;
      bar.update({ label });
    },
    stop: () => bar.stop(),
  };
}
