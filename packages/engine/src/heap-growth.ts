import { setFlagsFromString } from "node:v8";

/**
 * How far V8 lets the JavaScript heap grow past what survived its last full collection while a
 * bulk import runs in the same process as PGlite (V8's `--heap-growing-percent`; 0, its default,
 * lets it choose, up to four times). An import allocates quickly and keeps little (its batches,
 * its key caches: 31-37 MiB survived a full collection on the benchmark's rows), so V8 chose a
 * limit near three times that: the heap peaked at 188 MiB on a 1,000,000-event import, against 85 MiB at 20%, for 0.4 s
 * more collection on a 72 s import (docs/benchmarks.md, "Bulk event import by COPY").
 */
export const IMPORT_HEAP_GROWING_PERCENT = 20;

let holders = 0;

/**
 * Runs `work` with the heap's growth capped at IMPORT_HEAP_GROWING_PERCENT; V8 chooses again
 * once the last such run in the process ends. The flag is the process's: V8 reads it each time it
 * sets the next collection's limit.
 */
export async function withImportHeapGrowth<T>(work: () => Promise<T>): Promise<T> {
  if (holders++ === 0) setFlagsFromString(`--heap-growing-percent=${IMPORT_HEAP_GROWING_PERCENT}`);
  try {
    return await work();
  } finally {
    if (--holders === 0) setFlagsFromString("--heap-growing-percent=0");
  }
}
