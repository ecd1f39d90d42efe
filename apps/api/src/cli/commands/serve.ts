import { serveProduct, untilSignal } from "../../runtime/serve.ts";
import { parse } from "../args.ts";
import type { Command } from "../command.ts";

export const serveCommand: Command = {
  name: "serve",
  summary: "serve the GraphQL API and the dashboard, and make weekly playlists as they come due",
  usage: "deepcuts serve [--no-dashboard]",
  async run(argv, ctx) {
    const { values } = parse(argv, { "no-dashboard": { type: "boolean" } }, false);
    const product = await serveProduct(ctx.config, { dashboard: !values["no-dashboard"], background: true, log: ctx.err });
    ctx.out(`GraphQL API: ${product.apiUrl}`);
    if (product.dashboardUrl) ctx.out(`Dashboard:   ${product.dashboardUrl}`);
    ctx.out("press Ctrl+C to stop");
    void product.scheduler.trigger().catch((e: Error) => ctx.err(`weekly generation failed: ${e.message}`));
    await untilSignal();
    ctx.err("stopping...");
    await product.stop();
    return 0;
  },
};
