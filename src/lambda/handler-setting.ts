/**
 * A function's Handler setting, split the way Lambda's runtimes split it:
 * Node.js at the first dot of the last path segment ("src/app.handler" ->
 * module "src/app", export path "handler"; "index.handlers.main" -> module
 * "index", export path "handlers.main"); Python at the last dot
 * ("pkg.mod.lambda_handler" -> module "pkg.mod", function "lambda_handler").
 */
export interface HandlerSetting {
  /** The module, as a path for Node.js ("src/app") and dotted or a path for Python ("pkg.mod"). */
  readonly modulePath: string;
  /** What the module exports ("handler", "handlers.main"); empty when the setting has no dot. */
  readonly exportPath: string;
}

export function splitHandler(handler: string, language: "node" | "python"): HandlerSetting {
  const dot =
    language === "python"
      ? handler.lastIndexOf(".")
      : handler.indexOf(".", handler.lastIndexOf("/") + 1);
  return dot < 0
    ? { modulePath: handler, exportPath: "" }
    : { modulePath: handler.slice(0, dot), exportPath: handler.slice(dot + 1) };
}
