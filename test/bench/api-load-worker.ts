import { parentPort, workerData } from "node:worker_threads";

/** What the benchmark asks of one load worker. */
export interface LoadJob {
  url: string;
  key: string | null;
  /** Request bodies, sent round-robin. */
  bodies: string[];
  concurrency: number;
  durationMs: number;
}

export interface LoadResult {
  latenciesMs: Float64Array;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
}

/** `concurrency` closed-loop clients POST until the time is up; every latency is kept. */
async function run(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let next = 0;
  const started = performance.now();
  const deadline = started + job.durationMs;
  const headers: Record<string, string> = { "content-type": "application/json", ...(job.key ? { authorization: `Bearer ${job.key}` } : {}) };
  const client = async () => {
    while (performance.now() < deadline) {
      const body = job.bodies[next++ % job.bodies.length];
      const from = performance.now();
      try {
        const res = await fetch(job.url, { method: "POST", headers, body });
        const json = (await res.json()) as { errors?: unknown[] };
        if (!res.ok || json.errors) {
          errors++;
          firstError ??= JSON.stringify(json).slice(0, 300);
        }
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
      }
      latencies.push(performance.now() - from);
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, client));
  return { latenciesMs: Float64Array.from(latencies), errors, firstError, elapsedMs: performance.now() - started };
}

parentPort!.postMessage(await run(workerData as LoadJob));
