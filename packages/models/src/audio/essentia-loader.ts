// Pulls essentia.js's hand-written declarations into every program that imports this file
// (each package is type-checked on its own, and an ambient module is not followed by imports).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- a .d.ts cannot be imported
/// <reference path="./essentia.d.ts" />
import { createRequire } from "node:module";
import type Essentia from "essentia.js/dist/essentia.js-core.umd.js";
import type { EssentiaVector } from "essentia.js/dist/essentia.js-core.umd.js";

export type { EssentiaVector };
export type EssentiaInstance = Essentia;

interface Loaded {
  essentia: Essentia;
  wasm: { HEAPU8: Uint8Array };
}

let loaded: Loaded | null = null;

/**
 * The process's one essentia.js instance, loaded on first use (about 100 ms). Loading the WASM
 * module installs process-wide uncaughtException/unhandledRejection listeners; they are removed
 * here so the host keeps its own error handling.
 */
export function loadEssentia(): Loaded {
  if (loaded) return loaded;
  // Typed as one event name: the overloads for these two differ only in the listener type.
  const events = ["uncaughtException", "unhandledRejection"] as "uncaughtException"[];
  const before = new Map(events.map((event) => [event, new Set<unknown>(process.listeners(event))]));
  const require = createRequire(import.meta.url);
  try {
    const wasm = require("essentia.js/dist/essentia-wasm.umd.js") as Loaded["wasm"];
    const EssentiaClass = require("essentia.js/dist/essentia.js-core.umd.js") as typeof Essentia;
    loaded = { essentia: new EssentiaClass(wasm), wasm };
  } finally {
    for (const event of events) {
      for (const listener of process.listeners(event)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
  return loaded;
}

/** Bytes of WASM heap essentia has reserved; it grows on leaks and never shrinks. */
export function essentiaHeapBytes(): number {
  return loaded ? loaded.wasm.HEAPU8.byteLength : 0;
}

/**
 * Copies `samples` into a WASM vector, runs `use`, and frees the vector whatever happens.
 * Every vector an essentia call returns must be freed by the caller too (see `freeAll`).
 */
export function withVector<T>(essentia: Essentia, samples: Float32Array, use: (vector: EssentiaVector) => T): T {
  const vector = essentia.arrayToVector(samples);
  try {
    return use(vector);
  } finally {
    vector.delete();
  }
}

/** Frees each embind vector among `values` (fields of an essentia result object). */
export function freeVectors(result: object): void {
  for (const value of Object.values(result)) {
    if (value && typeof value === "object" && typeof (value as EssentiaVector).delete === "function") {
      (value as EssentiaVector).delete();
    }
  }
}
