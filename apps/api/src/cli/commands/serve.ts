import { serveProduct, untilSignal } from "../../runtime/serve.ts";
import { parse } from "../args.ts";
import type { Command } from "../command.ts";

export const serveCommand: Command = {
  name: "serve",
  summary: "serve the GraphQL API and the dashboard with one in-process job worker (weekly playlists as they come due)",
  usage: "deepcuts serve [--no-dashboard] [--no-worker]   (--no-worker: an API-only replica; run deepcuts-worker processes beside it)",
  async run(argv, ctx) {
    const { values } = parse(argv, { "no-dashboard": { type: "boolean" }, "no-worker": { type: "boolean" } }, false);
    const worker = !values["no-worker"];
    const product = await serveProduct(ctx.config, { dashboard: !values["no-dashboard"], worker, background: worker, log: ctx.err });
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
