/** The guide's memory table, and which row what is known of a function points at. */
import { describe, expect, it } from "vitest";
import {
  describeMemoryPrior,
  MEMORY_GUIDELINES,
  memoryPrior,
  packageOf,
  SMALL_HANDLER_FUNCTIONS,
} from "../../src/lambda/memory-guidelines.js";

describe("MEMORY_GUIDELINES", () => {
  // The guide: "128 MB: Lightweight tasks (routing, simple transformations)", "512 MB: Standard
  // API handlers, moderate data processing", "1024 MB: Compute-intensive tasks, image
  // processing", "3008+ MB: ML inference, large data processing".
  it("holds the guide's rows: 128, 512, 1024 and 3008+ MB", () => {
    expect(
      Object.values(MEMORY_GUIDELINES).map((row) => `${row.memoryMb}${row.orMore ? "+" : ""}`),
    ).toEqual(["128", "512", "1024", "3008+"]);
  });
});

describe("memoryPrior", () => {
  const none = { httpTriggers: [], polledTriggers: [] };

  it("an ML library sets the size whatever calls the function", () => {
    const prior = memoryPrior({
      httpTriggers: ["HttpApi event Predict"],
      polledTriggers: [],
      code: { imports: ["json", "torch.nn", "./model"], handlerFunctions: 2 },
    });
    expect(describeMemoryPrior(prior)).toBe(
      "The guide's starting point for ML inference (imports torch) is 3008+ MB (ML inference, large data processing)",
    );
  });

  it("an image library points at 1024 MB, a dataframe library at 3008+ MB", () => {
    expect(
      describeMemoryPrior(
        memoryPrior({ ...none, code: { imports: ["sharp"], handlerFunctions: 1 } }),
      ),
    ).toBe(
      "The guide's starting point for image processing (imports sharp) is 1024 MB (compute-intensive tasks, image processing)",
    );
    expect(
      describeMemoryPrior(
        memoryPrior({ ...none, code: { imports: ["pandas"], handlerFunctions: 1 } }),
      ),
    ).toBe(
      "The guide's starting point for data processing (imports pandas) is 3008+ MB (ML inference, large data processing)",
    );
  });

  it("an HTTP caller makes it an API handler: 512 MB", () => {
    expect(
      describeMemoryPrior(
        memoryPrior({ httpTriggers: ["HttpApi event GetOrder"], polledTriggers: ["SQS event Q"] }),
      ),
    ).toBe(
      "The guide's starting point for an API handler (HttpApi event GetOrder) is 512 MB (standard API handlers, moderate data processing)",
    );
  });

  it("a queue with a small handler is light processing (128 MB); a larger handler is moderate (512 MB)", () => {
    const small = memoryPrior({
      httpTriggers: [],
      polledTriggers: ["SQS event Orders"],
      code: { imports: ["@aws-sdk/client-dynamodb"], handlerFunctions: 3 },
    });
    expect(describeMemoryPrior(small)).toBe(
      "The guide's starting point for light processing of queue or stream records (SQS event Orders, a small handler that runs 3 functions per invocation) is 128 MB (lightweight tasks: routing, simple transformations)",
    );
    const large = memoryPrior({
      httpTriggers: [],
      polledTriggers: ["Kinesis event Clicks"],
      code: { imports: [], handlerFunctions: SMALL_HANDLER_FUNCTIONS + 1 },
    });
    expect(large.guidelines).toEqual([MEMORY_GUIDELINES.standard]);
    expect(large.because).toBe(
      "Kinesis event Clicks, a larger handler that runs 11 functions per invocation",
    );
  });

  it("a queue whose code was not read narrows to 128 or 512 MB and says why not one", () => {
    expect(
      describeMemoryPrior(
        memoryPrior({ httpTriggers: [], polledTriggers: ["sqs event source mapping"] }),
      ),
    ).toBe(
      "The guide's starting points for a queue or stream consumer (sqs event source mapping) are 128 MB (lightweight tasks: routing, simple transformations) or 512 MB (standard API handlers, moderate data processing); its code was not read to tell light work from moderate",
    );
  });

  it("with nothing to go on, says the guide's table whole", () => {
    expect(
      describeMemoryPrior(
        memoryPrior({ ...none, code: { imports: ["json"], handlerFunctions: 1 } }),
      ),
    ).toBe(
      "The guide's starting points by workload are 128 MB (lightweight tasks: routing, simple transformations), 512 MB (standard API handlers, moderate data processing), 1024 MB (compute-intensive tasks, image processing) and 3008+ MB (ML inference, large data processing); nothing known of it says which workload it is",
    );
  });

  it("names more than two triggers by count", () => {
    expect(memoryPrior({ httpTriggers: ["a", "b", "c", "d"], polledTriggers: [] }).because).toBe(
      "a, b and 2 more",
    );
  });
});

describe("packageOf", () => {
  it("reads Python modules and npm packages, and no name from a relative import", () => {
    expect(
      [
        "sklearn.linear_model",
        "PIL",
        "@tensorflow/tfjs-node/dist/index.js",
        "sharp",
        "node:fs",
        "./torch",
        ".models",
        "torchvision",
      ].map(packageOf),
    ).toEqual(["sklearn", "PIL", "@tensorflow/tfjs-node", "sharp", "fs", "", "", "torchvision"]);
  });
});
