import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { CancelledError } from "../core/errors.ts";
import type { AnalysisOptions, AudioAnalysis } from "./analyse.ts";

/** One file's outcome: a failed file carries its error and the batch goes on. */
export type FileAnalysisResult = { path: string; ok: true; analysis: AudioAnalysis } | { path: string; ok: false; error: string };

/** Memory a worker reported after its latest file (WASM heap only grows; RSS is the process). */
export interface WorkerMemory {
  wasmHeapBytes: number;
  rssBytes: number;
}

export interface AnalysisPoolOptions {
  /** Worker threads; default: available cores. */
  threads?: number;
  analysis?: Partial<AnalysisOptions>;
}

export interface AnalyseFilesOptions {
  /** Called after each file, in completion order. */
  onProgress?: (done: number, total: number, result: FileAnalysisResult) => void;
  signal?: AbortSignal;
}

interface Slot {
  worker: Worker;
  busy: { id: number; path: string; resolve: (r: FileAnalysisResult) => void } | null;
}

const WORKER_ENTRY = new URL("./analysis-worker.mjs", import.meta.url);

/**
 * A pool of worker threads that analyse audio files, each loading essentia once. A file that
 * fails (corrupt, silent, too short, unsupported, or a worker that dies) yields an error result.
 */
export class AnalysisPool {
  readonly threads: number;
  /** Latest memory report per worker index. */
  readonly memory: WorkerMemory[] = [];
  private readonly options: Partial<AnalysisOptions>;
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closed = false;

  constructor(options: AnalysisPoolOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new RangeError(`threads must be 1..64, got ${threads}`);
    this.threads = threads;
    this.options = options.analysis ?? {};
  }

  /** Analyses every path; the results come back in the order of `paths`. */
  async analyseFiles(paths: readonly string[], options: AnalyseFilesOptions = {}): Promise<FileAnalysisResult[]> {
    if (this.closed) throw new Error("AnalysisPool is closed");
    const results = new Array<FileAnalysisResult>(paths.length);
    let next = 0;
    let done = 0;
    const runSlot = async (index: number) => {
      while (next < paths.length) {
        if (options.signal?.aborted) return;
        const position = next++;
        const result = await this.run(index, paths[position]);
        results[position] = result;
        options.onProgress?.(++done, paths.length, result);
      }
    };
    const lanes = Math.min(this.threads, paths.length);
    await Promise.all(Array.from({ length: lanes }, (_, i) => runSlot(i)));
    if (options.signal?.aborted) throw new CancelledError("audio analysis");
    return results;
  }

  /** Stops every worker; the pool cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot?.worker.terminate()));
    this.slots.length = 0;
  }

  private run(index: number, path: string): Promise<FileAnalysisResult> {
    const slot = this.slot(index);
    const id = this.nextId++;
    return new Promise((resolve) => {
      slot.busy = { id, path, resolve };
      slot.worker.postMessage({ id, path, options: this.options });
    });
  }

  private slot(index: number): Slot {
    const existing = this.slots[index];
    if (existing) return existing;
    const worker = new Worker(WORKER_ENTRY);
    const slot: Slot = { worker, busy: null };
    worker.on("message", (message: { id: number; memory: WorkerMemory } & ({ ok: true; analysis: AudioAnalysis } | { ok: false; error: string })) => {
      this.memory[index] = message.memory;
      const busy = slot.busy;
      if (!busy || busy.id !== message.id) return;
      slot.busy = null;
      busy.resolve(message.ok ? { path: busy.path, ok: true, analysis: message.analysis } : { path: busy.path, ok: false, error: message.error });
    });
    // A worker that crashes (a WASM abort, out of memory) fails its file and is replaced.
    const fail = (reason: string) => {
      // A sparse array on purpose: the emptied slot is refilled by index.
      // eslint-disable-next-line @typescript-eslint/no-array-delete
      if (this.slots[index] === slot) delete this.slots[index];
      const busy = slot.busy;
      slot.busy = null;
      busy?.resolve({ path: busy.path, ok: false, error: `analysis worker stopped: ${reason}` });
    };
    worker.on("error", (error) => fail(error.message));
    worker.on("exit", (code) => fail(`exit code ${code}`));
    this.slots[index] = slot;
    return slot;
  }
}
