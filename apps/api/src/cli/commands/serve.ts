import { serveProduct, untilSignal } from "../../runtime/serve.ts";
import { parse } from "../args.ts";
import type { Command } from "../command.ts";
import { readyLine } from "../server-events.ts";

export const serveCommand: Command = {
  name: "serve",
  summary: "serve the GraphQL API and the dashboard with one in-process job worker (weekly playlists as they come due)",
  usage:
    "deepcuts serve [--no-dashboard] [--no-worker] [--json]   (--no-worker: an API-only replica; run deepcuts-worker processes beside it; " +
    "--json: one JSON line on stdout when ready and one when stopped, logs stay on stderr)",
  async run(argv, ctx) {
    const started = Date.now();
    const { values } = parse(argv, { "no-dashboard": { type: "boolean" }, "no-worker": { type: "boolean" }, json: { type: "boolean" } }, false);
    const worker = !values["no-worker"];
    const product = await serveProduct(ctx.config, { dashboard: !values["no-dashboard"], worker, background: worker, log: ctx.err });
    if (values.json) {
      ctx.out(readyLine(product, started));
      await untilSignal();
      ctx.err("stopping...");
      await product.stop();
      ctx.out(JSON.stringify({ event: "stopped" }));
      return 0;
    }
    ctx.out(`GraphQL API: ${product.apiUrl}`);
    if (product.dashboardUrl) ctx.out(`Dashboard:   ${product.dashboardUrl}`);
    ctx.out(worker ? `worker:      in this process (${product.worker!.owner})` : "worker:      none (--no-worker): jobs wait for a deepcuts-worker process");
    ctx.out("press Ctrl+C to stop");
    await untilSignal();
    ctx.err("stopping...");
    await product.stop();
    return 0;
  },
};
