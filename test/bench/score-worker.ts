// Worker for bench:weekly --vectors-only: one onnxruntime scorer (one intra-op thread) over
// shared item vectors, scoring its share of the listeners.
import { parentPort, workerData } from "node:worker_threads";
import { createTopKScorer } from "@deepcuts/models/score";

const { items, rows, cols, queries, from, to, k } = workerData as {
  items: SharedArrayBuffer;
  rows: number;
  cols: number;
  queries: SharedArrayBuffer;
  from: number;
  to: number;
  k: number;
};
const scorer = await createTopKScorer({ rows, cols, data: new Float32Array(items) }, { backend: "native" });
// onnxruntime refuses tensors over shared memory: the worker's queries are copied out.
const q = new Float32Array(queries).slice(from * cols, to * cols);
parentPort!.postMessage({ ready: true });
// eslint-disable-next-line @typescript-eslint/no-misused-promises -- a benchmark worker: a failure ends the process
parentPort!.once("message", async () => {
  const started = performance.now();
  const r = await scorer.topK({ queries: { rows: to - from, cols, data: q }, k });
  parentPort!.postMessage({ ms: performance.now() - started, rescanned: r.rescanned });
});
