/** The Handler setting split the way each runtime splits it. */
import { describe, expect, it } from "vitest";
import { splitHandler } from "../../src/lambda/handler-setting.js";

describe("splitHandler", () => {
  it("splits Node.js at the first dot of the last path segment", () => {
    expect(splitHandler("src/app.handler", "node")).toEqual({
      modulePath: "src/app",
      exportPath: "handler",
    });
    expect(splitHandler("index.handlers.main", "node")).toEqual({
      modulePath: "index",
      exportPath: "handlers.main",
    });
    expect(splitHandler("v1.2/app.handler", "node")).toEqual({
      modulePath: "v1.2/app",
      exportPath: "handler",
    });
  });

  it("splits Python at the last dot", () => {
    expect(splitHandler("pkg.mod.lambda_handler", "python")).toEqual({
      modulePath: "pkg.mod",
      exportPath: "lambda_handler",
    });
  });

  it("keeps a setting without a dot whole", () => {
    expect(splitHandler("bootstrap", "node")).toEqual({ modulePath: "bootstrap", exportPath: "" });
  });
});
