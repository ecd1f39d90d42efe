import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root, found from this file's location (packages/models/src/datasets). */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/**
 * Folder of the real evaluation data sets: `$DEEPCUTS_DATA_DIR`, else `../shared/data` beside
 * the repository. They are never copied into the repository (see shared/data/README.md).
 */
export function sharedDataDir(): string {
  return resolve(repositoryRoot, process.env.DEEPCUTS_DATA_DIR ?? "../shared/data");
}

/**
 * Path of one data set inside the shared folder, or null with the reason it is missing, so a
 * test can `it.skipIf(!found.path)` and print why.
 */
export function findSharedDataset(name: string): { path: string | null; reason: string } {
  const path = resolve(sharedDataDir(), name);
  if (existsSync(path)) return { path, reason: "" };
  return { path: null, reason: `shared data set '${name}' not found at ${path} (set DEEPCUTS_DATA_DIR)` };
}
