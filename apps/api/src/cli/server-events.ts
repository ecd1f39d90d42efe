import type { RunningProduct } from "../runtime/serve.ts";

/**
 * The line `deepcuts start --json` and `deepcuts serve --json` print on stdout once everything
 * listens: JSON on one line, for a supervisor or a script to read the addresses from (logs and
 * progress bars go to stderr). `{"event":"stopped"}` follows when the process has stopped.
 */
export function readyLine(product: RunningProduct, startedAt: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    event: "ready",
    serving: true,
    apiUrl: product.apiUrl,
    subscriptionsUrl: product.apiUrl.replace(/^http/, "ws"),
    dashboardUrl: product.dashboardUrl,
    worker: product.worker ? product.worker.owner : null,
    readyInMs: Date.now() - startedAt,
    ...extra,
  });
}
