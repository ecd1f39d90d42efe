import { parentPort } from "node:worker_threads";
import { analyseFile, essentiaHeapBytes, type AnalysisOptions } from "./analyse.ts";

/** A request from AnalysisPool: analyse one file. */
export interface AnalysisRequest {
  id: number;
  path: string;
  options: Partial<AnalysisOptions>;
}

if (!parentPort) throw new Error("analysis-worker.ts must run as a worker thread (start analysis-worker.mjs)");
const port = parentPort;

// One file at a time; essentia loads once per worker on the first analysis.
// eslint-disable-next-line @typescript-eslint/no-misused-promises -- the handler catches its own errors and answers the pool
port.on("message", async ({ id, path, options }: AnalysisRequest) => {
  try {
    const analysis = await analyseFile(path, options);
    const transfer = analysis.melSpectrogram ? [analysis.melSpectrogram.data.buffer as ArrayBuffer] : [];
    port.postMessage({ id, ok: true, analysis, memory: memory() }, transfer);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : `analysis failed: ${String(error)}`;
    port.postMessage({ id, ok: false, error: message, memory: memory() });
  }
});

function memory() {
  return { wasmHeapBytes: essentiaHeapBytes(), rssBytes: process.memoryUsage.rss() };
}
