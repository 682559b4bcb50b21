/**
 * Each template's functions' code, read once whoever asks first: a template
 * rule that weighs it (memory-default infers the workload from what the code
 * imports, s3-no-lifecycle names a writer's uploads) while the template is
 * audited, or the code rules after it. Reading it twice would
 * parse every module and walk every package twice.
 */
import type { AuditContext, FunctionResource } from "../audit-context.js";
import type { FunctionCode } from "./function-code.js";
import type { CodeLoader } from "./load-function-code.js";

export class TemplateCode {
  private readonly read = new WeakMap<AuditContext, readonly FunctionCode[]>();

  constructor(private readonly loader: CodeLoader) {}

  /** The code of every function of the template that has local code in a language the code rules read. */
  ofTemplate(context: AuditContext): readonly FunctionCode[] {
    let functions = this.read.get(context);
    if (functions === undefined) {
      functions = this.loader.fromTemplate(context);
      this.read.set(context, functions);
    }
    return functions;
  }

  /** One function's code; undefined when it could not be read (code in S3, an image, no handler found). */
  forFunction(context: AuditContext, fn: FunctionResource): FunctionCode | undefined {
    return this.ofTemplate(context).find(
      (code) => code.resource === fn.logicalId && code.modules.length > 0,
    );
  }
}
