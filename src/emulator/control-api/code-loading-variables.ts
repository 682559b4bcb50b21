/**
 * Environment variables that make a runtime, its interpreter, the shell or the
 * dynamic linker load code, or decide where code is loaded from. Setting one
 * through the Lambda API is running code: `NODE_OPTIONS=--import=data:...`
 * needs no file at all. So UpdateFunctionConfiguration refuses them unless
 * `emulate --allow-code-env`; the values a template set are always kept.
 *
 * The principle: a variable is listed when its value can name a program,
 * library, module, script or search path that a process started in the
 * environment will execute. Variables that only change output or limits
 * (NODE_EXTRA_CA_CERTS, PYTHONUNBUFFERED, TZ) are not.
 */
export const CODE_LOADING_VARIABLES: ReadonlySet<string> = new Set([
  // Lambda: a wrapper script run in place of the runtime.
  "AWS_LAMBDA_EXEC_WRAPPER",
  // The program search path: every runtime is started by name.
  "PATH",
  // The dynamic linker (glibc, musl) and glibc's iconv modules.
  "LD_PRELOAD",
  "LD_LIBRARY_PATH",
  "LD_AUDIT",
  "GCONV_PATH",
  // macOS's dynamic linker.
  "DYLD_INSERT_LIBRARIES",
  "DYLD_LIBRARY_PATH",
  "DYLD_FRAMEWORK_PATH",
  "DYLD_FALLBACK_LIBRARY_PATH",
  // Node.js: --require/--import/--loader, and the module search path.
  "NODE_OPTIONS",
  "NODE_PATH",
  // Python: startup script, module path and prefix, user site (its .pth files run code),
  // the breakpoint() hook and warning categories (both import a named module).
  "PYTHONSTARTUP",
  "PYTHONPATH",
  "PYTHONHOME",
  "PYTHONUSERBASE",
  "PYTHONBREAKPOINT",
  "PYTHONWARNINGS",
  // Shells: a script sourced by every non-interactive bash or POSIX sh.
  "BASH_ENV",
  "ENV",
  // Perl and Ruby: command-line switches (-M, -r) and library paths.
  "PERL5OPT",
  "PERL5LIB",
  "PERLLIB",
  "PERL5DB",
  "RUBYOPT",
  "RUBYLIB",
  // The JVM: agents and options, and the class path.
  "JAVA_TOOL_OPTIONS",
  "_JAVA_OPTIONS",
  "JDK_JAVA_OPTIONS",
  "CLASSPATH",
  // .NET: startup hooks, profilers and extra dependencies.
  "DOTNET_STARTUP_HOOKS",
  "DOTNET_ADDITIONAL_DEPS",
  "CORECLR_ENABLE_PROFILING",
  "CORECLR_PROFILER",
  "CORECLR_PROFILER_PATH",
]);

/** Exported bash functions travel as BASH_FUNC_name%% variables: code by construction. */
const CODE_LOADING_PREFIXES = ["BASH_FUNC_"];

export function loadsCode(name: string): boolean {
  return (
    CODE_LOADING_VARIABLES.has(name) ||
    CODE_LOADING_PREFIXES.some((prefix) => name.startsWith(prefix))
  );
}

/**
 * The first variable of `requested` that loads code and is not what the
 * function already has (so a client that sends the whole environment back,
 * as the tuner does, keeps a template's own NODE_OPTIONS).
 */
export function newCodeLoadingVariable(
  requested: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string>>,
): string | undefined {
  return Object.keys(requested).find(
    (name) => loadsCode(name) && requested[name] !== current[name],
  );
}
