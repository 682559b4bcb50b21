/**
 * PLACEHOLDER: owned by the package-scan helper, who replaces this file.
 * What a function's deployment folder (and its local layers) ships.
 */
export interface PackageFacts {
  readonly root: string;
}

export function scanPackage(root: string, _layerFolders: readonly string[]): PackageFacts {
  return { root };
}
