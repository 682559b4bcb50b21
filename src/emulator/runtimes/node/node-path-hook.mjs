// A module resolve hook for lambda-optimizer's Node.js runtime. CommonJS
// `require` looks in the NODE_PATH folders after the node_modules folders
// above the importing file; ESM `import` ignores NODE_PATH. Lambda's runtimes
// let ESM handlers import the AWS SDK the runtime ships all the same, so this
// hook gives `import` the same last resort: a bare specifier that resolves
// nowhere else is looked up in each NODE_PATH folder named node_modules
// (where the emulator puts the runtime's SDK). The function's own copy of a
// package always wins: the hook only acts when normal resolution failed.

import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

let parents = [];

export function initialize(data) {
  parents = (data?.folders ?? [])
    .filter((folder) => basename(folder) === "node_modules")
    // A file inside the folder: Node looks for "<folder's parent>/node_modules/<package>" on its way up.
    .map((folder) => pathToFileURL(join(folder, "__lambda_optimizer_node_path__.mjs")).href);
}

function isBareSpecifier(specifier) {
  return (
    !/^(\.{1,2}\/|\/|[a-zA-Z][a-zA-Z\d+.-]*:)/.test(specifier) &&
    specifier !== "." &&
    specifier !== ".."
  );
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND" || !isBareSpecifier(specifier)) throw error;
    for (const parentURL of parents) {
      try {
        return await nextResolve(specifier, { ...context, parentURL });
      } catch {
        // not in this folder either
      }
    }
    throw error;
  }
}
