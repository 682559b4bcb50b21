/**
 * The optimization guide's memory starting points by workload ("General
 * guidelines": 128 MB lightweight, 512 MB standard API handlers, 1024 MB
 * compute-intensive, 3008+ MB ML and large data), and which of them fits what
 * is known of a function without running it: what calls it, and what its code
 * imports. This is a prior, never a measurement: callers use it only when
 * nothing measured the function's memory (no Max Memory Used in its logs, no
 * saved tune run), and their messages say so. One table for the audit's
 * memory-default and for metrics' memory-unmeasured, so both quote the guide
 * alike.
 */

/** One row of the guide's table. */
export interface MemoryGuideline {
  readonly memoryMb: number;
  /** The guide writes "3008+ MB": a floor to start from, not a size. */
  readonly orMore: boolean;
  /** The guide's words for the workloads of the row. */
  readonly workloads: string;
}

export const MEMORY_GUIDELINES = {
  lightweight: {
    memoryMb: 128,
    orMore: false,
    workloads: "lightweight tasks: routing, simple transformations",
  },
  standard: {
    memoryMb: 512,
    orMore: false,
    workloads: "standard API handlers, moderate data processing",
  },
  computeIntensive: {
    memoryMb: 1024,
    orMore: false,
    workloads: "compute-intensive tasks, image processing",
  },
  machineLearning: {
    memoryMb: 3008,
    orMore: true,
    workloads: "ML inference, large data processing",
  },
} as const satisfies Record<string, MemoryGuideline>;

const ALL_GUIDELINES: readonly MemoryGuideline[] = Object.values(MEMORY_GUIDELINES);

/**
 * Libraries whose import makes a function an ML or data workload: they load
 * models or whole datasets into memory, and their native code wants the CPU
 * that only larger sizes give. By the name imported (Python's top-level
 * module, an npm package).
 */
export const ML_LIBRARIES: readonly string[] = [
  "torch",
  "tensorflow",
  "keras",
  "jax",
  "sklearn",
  "onnxruntime",
  "transformers",
  "sentence_transformers",
  "xgboost",
  "lightgbm",
  "@tensorflow/tfjs",
  "@tensorflow/tfjs-node",
  "onnxruntime-node",
  "@xenova/transformers",
  "@huggingface/transformers",
];

/** Dataframe and array libraries: large data processing, in the guide's words. */
export const DATA_LIBRARIES: readonly string[] = [
  "numpy",
  "pandas",
  "scipy",
  "polars",
  "pyarrow",
  "danfojs-node",
  "apache-arrow",
];

/** Image (and video) processing libraries: the guide's 1024 MB row. */
export const IMAGE_LIBRARIES: readonly string[] = [
  "sharp",
  "jimp",
  "canvas",
  "@napi-rs/canvas",
  "gm",
  "fluent-ffmpeg",
  "PIL",
  "cv2",
  "skimage",
  "imageio",
  "wand",
  "moviepy",
];

/**
 * A handler that runs at most this many functions per invocation (itself and
 * what it calls, in its own code) is small: with a queue or stream trigger, it
 * does light work on each record.
 */
export const SMALL_HANDLER_FUNCTIONS = 10;

/** What is known of a function that says what kind of work it does. */
export interface WorkloadClues {
  /** Callers that wait on it over HTTP: API Gateway events or permissions, Function URLs ("HttpApi event GetOrder"). */
  readonly httpTriggers: readonly string[];
  /** Queues and streams an event source mapping reads for it ("SQS event Orders", "sqs event source mapping"). */
  readonly polledTriggers: readonly string[];
  /** The code, when it was read: what it imports (specifiers as written) and how many functions its handler runs. */
  readonly code?: {
    readonly imports: readonly string[];
    readonly handlerFunctions: number;
  };
}

/** The guide's starting point(s) for a function, and how they were chosen. */
export interface MemoryPrior {
  /** The rows that fit: one when the clues say the workload, more when they only narrow it, all when nothing does. */
  readonly guidelines: readonly MemoryGuideline[];
  /** The workload inferred ("an API handler"); undefined when nothing says. */
  readonly workload?: string;
  /** What it was inferred from, for messages ("imports torch", "HttpApi event GetOrder"). */
  readonly because?: string;
  /** Why the clues stopped short of one row, when they did. */
  readonly undecided?: string;
}

/**
 * The guide's starting point for what the clues say, strongest first: an ML,
 * image or data library sets the size whatever calls it (an API serving a
 * model needs the model's memory); then an HTTP caller (an API handler); then
 * a queue or stream (light processing with a small handler, moderate with a
 * larger one); otherwise the whole table.
 */
export function memoryPrior(clues: WorkloadClues): MemoryPrior {
  const imports = clues.code?.imports ?? [];
  const library = (names: readonly string[]) =>
    imports.map(packageOf).find((name) => names.includes(name));
  const ml = library(ML_LIBRARIES);
  if (ml) return one("machineLearning", "ML inference", `imports ${ml}`);
  const image = library(IMAGE_LIBRARIES);
  if (image) return one("computeIntensive", "image processing", `imports ${image}`);
  const data = library(DATA_LIBRARIES);
  if (data) return one("machineLearning", "data processing", `imports ${data}`);
  if (clues.httpTriggers.length > 0)
    return one("standard", "an API handler", listed(clues.httpTriggers));
  if (clues.polledTriggers.length > 0) {
    const trigger = listed(clues.polledTriggers);
    if (!clues.code) {
      return {
        guidelines: [MEMORY_GUIDELINES.lightweight, MEMORY_GUIDELINES.standard],
        workload: "a queue or stream consumer",
        because: trigger,
        undecided: "its code was not read to tell light work from moderate",
      };
    }
    const functions = clues.code.handlerFunctions;
    return functions <= SMALL_HANDLER_FUNCTIONS
      ? one(
          "lightweight",
          "light processing of queue or stream records",
          `${trigger}, a small handler that runs ${functions} ${functions === 1 ? "function" : "functions"} per invocation`,
        )
      : one(
          "standard",
          "moderate processing of queue or stream records",
          `${trigger}, a larger handler that runs ${functions} functions per invocation`,
        );
  }
  return {
    guidelines: ALL_GUIDELINES,
    undecided: "nothing known of it says which workload it is",
  };
}

/**
 * The prior as a clause for a finding or recommendation: "The guide's
 * starting point for an API handler (HttpApi event GetOrder) is 512 MB
 * (standard API handlers, moderate data processing)". Callers follow it with
 * what makes it guidance, not measurement.
 */
export function describeMemoryPrior(prior: MemoryPrior): string {
  const [only] = prior.guidelines;
  const subject = prior.workload
    ? ` for ${prior.workload}${prior.because ? ` (${prior.because})` : ""}`
    : " by workload";
  if (prior.guidelines.length === 1 && only)
    return `The guide's starting point${subject} is ${describeGuideline(only)}`;
  const rows = prior.guidelines.map(describeGuideline);
  // Rows the clues narrowed to are alternatives; the whole table is a list.
  const list = `${rows.slice(0, -1).join(", ")} ${prior.workload ? "or" : "and"} ${rows.at(-1)}`;
  return `The guide's starting points${subject} are ${list}${prior.undecided ? `; ${prior.undecided}` : ""}`;
}

/** "512 MB (standard API handlers, moderate data processing)", "3008+ MB (ML inference, ...)". */
export function describeGuideline(guideline: MemoryGuideline): string {
  return `${guideline.memoryMb}${guideline.orMore ? "+" : ""} MB (${guideline.workloads})`;
}

/** Whether a configured size is what the row says: the size itself, or at least it for "3008+". */
export function meetsGuideline(memoryMb: number, guideline: MemoryGuideline): boolean {
  return guideline.orMore ? memoryMb >= guideline.memoryMb : memoryMb === guideline.memoryMb;
}

function one(row: keyof typeof MEMORY_GUIDELINES, workload: string, because: string): MemoryPrior {
  return { guidelines: [MEMORY_GUIDELINES[row]], workload, because };
}

/** "a, b and 2 more": messages name a few triggers, not every one. */
function listed(names: readonly string[]): string {
  const shown = names.slice(0, 2).join(", ");
  return names.length > 2 ? `${shown} and ${names.length - 2} more` : shown;
}

/**
 * The package an import names: Python's top-level module ("sklearn" for
 * "sklearn.linear_model"), an npm package with its scope ("@tensorflow/tfjs-node"
 * for "@tensorflow/tfjs-node/dist/index.js"). Relative imports name none.
 */
export function packageOf(specifier: string): string {
  if (specifier.startsWith(".") || specifier.startsWith("/")) return "";
  const bare = specifier.startsWith("node:") ? specifier.slice(5) : specifier;
  if (bare.startsWith("@")) return bare.split("/").slice(0, 2).join("/");
  return bare.split(/[/.]/)[0] ?? "";
}
