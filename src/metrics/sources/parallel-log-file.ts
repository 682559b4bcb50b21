/**
 * The parallel reader for one large plain log file: worker threads
 * (log-range-worker.ts) each read byte ranges of it, cut at line starts, and
 * the main thread replays their observations into the sink in file order
 * (range-observations.ts). The sink sees what the serial reader would have fed
 * it, in the same order, so every figure, `skippedLines` included, is the same.
 *
 * Memory stays constant: a worker is handed a range only while fewer than
 * `3 × workers` ranges are out or wait to be replayed (each worker holds at
 * most two), so the results held at any time are a few ranges' worth,
 * whatever the file's size.
 *
 * Only a plain file is split: a gzip stream cannot be entered in the middle,
 * and stdin cannot be read twice; those stay serial.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ObservationSink } from "../observations.js";
import type { RangeRequest, RangeResult, RangeWorkerData } from "./log-range-worker.js";
import type { AnchoredMarker } from "./marked-line-scanner.js";
import { replayRange } from "./range-observations.js";

export interface ParallelOptions {
  /** Worker threads; default: the CPUs this process may use, at most 4. Below 2 the reader stays serial. */
  readonly workers?: number | undefined;
  /** Bytes per range handed to a worker. */
  readonly rangeBytes?: number | undefined;
  /** Files smaller than this are read serially: starting workers costs more than it saves. */
  readonly minFileBytes?: number | undefined;
  /** The worker's JavaScript file; default: the built one beside this module (none when run from source). */
  readonly workerUrl?: URL | undefined;
}

export interface ParallelPlan {
  readonly workers: number;
  readonly rangeBytes: number;
  readonly workerUrl: URL;
}

const MB = 1024 * 1024;
const DEFAULT_RANGE_BYTES = 8 * MB;
const DEFAULT_MIN_FILE_BYTES = 32 * MB;
const MAX_DEFAULT_WORKERS = 4;
const CHUNK_BYTES = 1024 * 1024;
/**
 * Ranges a worker holds at once: the next one waits in its queue while it
 * reads the current, so it never idles until the main thread (busy
 * replaying, or not scheduled on a machine whose cores the workers fill)
 * gets round to answering.
 */
const IN_FLIGHT = 2;
const WORKER_FILE = "log-range-worker.js";

/**
 * tsup puts the worker at dist/log-range-worker.js; this module's code lands in
 * a chunk in dist/ or in dist/cli/main.js. Run from source (vitest) there is
 * no JavaScript worker, and the reader stays serial unless a test names one.
 */
function builtWorkerUrl(): URL | undefined {
  for (const relative of [`./${WORKER_FILE}`, `../${WORKER_FILE}`]) {
    const url = new URL(relative, import.meta.url);
    if (url.protocol === "file:" && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/** How to read a plain file of `size` bytes in parallel, or undefined to read it serially. */
export function planParallelRead(
  size: number,
  options: ParallelOptions | false | undefined,
): ParallelPlan | undefined {
  if (options === false) return undefined;
  const minFileBytes = options?.minFileBytes ?? DEFAULT_MIN_FILE_BYTES;
  if (size === 0 || size < minFileBytes) return undefined;
  const workers = options?.workers ?? Math.min(availableParallelism(), MAX_DEFAULT_WORKERS);
  if (workers < 2) return undefined;
  const workerUrl = options?.workerUrl ?? builtWorkerUrl();
  if (!workerUrl) return undefined;
  return { workers, rangeBytes: options?.rangeBytes ?? DEFAULT_RANGE_BYTES, workerUrl };
}

export async function readFileInParallel(
  path: string,
  size: number,
  plan: ParallelPlan,
  functionName: string,
  markers: readonly (string | AnchoredMarker)[],
  sink: ObservationSink,
  progress: { lines: number; bytes: number },
): Promise<void> {
  const ranges: RangeRequest[] = [];
  for (let start = 0, index = 0; start < size; start += plan.rangeBytes, index++) {
    ranges.push({ index, start, end: Math.min(size, start + plan.rangeBytes) });
  }
  const count = Math.min(plan.workers, ranges.length);
  const ahead = (IN_FLIGHT + 1) * count;
  const data: RangeWorkerData = { path, functionName, markers, chunkBytes: CHUNK_BYTES };
  const workers = Array.from(
    { length: count },
    () => new Worker(plan.workerUrl, { workerData: data }),
  );
  const waiting = new Map<number, RangeResult>();
  const inFlight = new Map(workers.map((worker) => [worker, 0]));
  let nextToSend = 0;
  let nextToReplay = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const send = () => {
        for (let depth = 1; depth <= IN_FLIGHT; depth++) {
          for (const worker of workers) {
            if (nextToSend >= ranges.length || nextToSend >= nextToReplay + ahead) return;
            if (inFlight.get(worker)! >= depth) continue;
            inFlight.set(worker, inFlight.get(worker)! + 1);
            worker.postMessage(ranges[nextToSend++]);
          }
        }
      };
      for (const worker of workers) {
        worker.on("message", (result: RangeResult) => {
          waiting.set(result.index, result);
          inFlight.set(worker, inFlight.get(worker)! - 1);
          try {
            for (let ready = waiting.get(nextToReplay); ready; ready = waiting.get(nextToReplay)) {
              waiting.delete(nextToReplay++);
              replayRange(ready.observations, functionName, sink);
              progress.lines += ready.lines - ready.blankLines;
              progress.bytes += ready.bytes;
            }
          } catch (error) {
            reject(error);
            return;
          }
          if (nextToReplay === ranges.length) resolve();
          else send();
        });
        worker.on("error", reject);
        worker.on("exit", (code) => {
          if (nextToReplay < ranges.length)
            reject(new Error(`a log reader thread exited (${code})`));
        });
      }
      send();
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
