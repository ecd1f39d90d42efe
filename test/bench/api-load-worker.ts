import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";

/** What the benchmark asks of one load worker. */
export interface LoadJob {
  url: string;
  key: string | null;
  /** More request headers (`cache-control: no-cache` makes the API run every query). */
  headers?: Record<string, string>;
  /** Request bodies, sent round-robin. */
  bodies: string[];
  concurrency: number;
  durationMs: number;
}

export interface LoadResult {
  latenciesMs: Float64Array;
  errors: number;
  /** Answers the API served from its response cache (those with an `Age` header). */
  fromCache: number;
  firstError: string | null;
  elapsedMs: number;
  /** Share of the run this load thread's event loop was busy (1: the load generator was the bound). */
  busy: number;
}

/**
 * One POST on a kept-alive connection: the status and the body as text. Plain `node:http`, not
 * fetch: the load thread must cost the servers' cores as little as it can (fetch and a full
 * JSON parse of each answer kept it 100% busy against the bare server, so it, not the server,
 * set that ceiling).
 */
function post(agent: Agent, url: URL, headers: Record<string, string | number>, body: string): Promise<{ status: number; text: string; cached: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      res.setEncoding("utf8");
      let text = "";
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text, cached: res.headers.age !== undefined }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * `concurrency` closed-loop clients POST until the time is up; every latency is kept. An answer
 * counts as an error unless its status is 200 and it is a GraphQL result with data and no
 * top-level errors (its start and the errors key are checked, not the whole body parsed).
 */
async function run(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let fromCache = 0;
  let firstError: string | null = null;
  let next = 0;
  const started = performance.now();
  const loopAtStart = performance.eventLoopUtilization();
  const deadline = started + job.durationMs;
  const url = new URL(job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...(job.key ? { authorization: `Bearer ${job.key}` } : {}),
    ...job.headers,
  };
  const client = async () => {
    while (performance.now() < deadline) {
      const body = job.bodies[next++ % job.bodies.length];
      const from = performance.now();
      try {
        const { status, text, cached } = await post(agent, url, headers, body);
        if (cached) fromCache++;
        if (status !== 200 || !text.startsWith('{"data":') || text.includes('"errors":[')) {
          errors++;
          firstError ??= `${status} ${text.slice(0, 300)}`;
        }
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
      }
      latencies.push(performance.now() - from);
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, client));
  agent.destroy();
  return {
    latenciesMs: Float64Array.from(latencies),
    errors,
    fromCache,
    firstError,
    elapsedMs: performance.now() - started,
    busy: performance.eventLoopUtilization(loopAtStart).utilization,
  };
}

parentPort!.postMessage(await run(workerData as LoadJob));
