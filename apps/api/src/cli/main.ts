import { appConfig } from "../config.ts";
import { UsageError } from "./args.ts";
import type { Command, CommandContext } from "./command.ts";
import { analyseCommand } from "./commands/analyse.ts";
import { crawlCommand } from "./commands/crawl.ts";
import { dbCommand } from "./commands/db.ts";
import { deleteCommand } from "./commands/delete.ts";
import { demoCommand } from "./commands/demo.ts";
import { evalCommand } from "./commands/eval.ts";
import { experimentCommand } from "./commands/experiment.ts";
import { exportCommand } from "./commands/export.ts";
import { generateCommand } from "./commands/generate.ts";
import { importCommand } from "./commands/import.ts";
import { keysCommand } from "./commands/keys.ts";
import { serveCommand } from "./commands/serve.ts";
import { startCommand } from "./commands/start.ts";
import { statusCommand } from "./commands/status.ts";
import { termsCommand } from "./commands/terms.ts";
import { trainCommand } from "./commands/train.ts";

export const commands: Command[] = [
  startCommand,
  demoCommand,
  importCommand,
  trainCommand,
  analyseCommand,
  generateCommand,
  evalCommand,
  exportCommand,
  deleteCommand,
  experimentCommand,
  termsCommand,
  crawlCommand,
  serveCommand,
  statusCommand,
  keysCommand,
  dbCommand,
];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "deepcuts: an open-source Discover Weekly",
    "",
    "usage: deepcuts <command> [options]      (deepcuts <command> --help for its options)",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "environment: DATABASE_URL (PostgreSQL; unset = embedded database in $DEEPCUTS_HOME, default ./data),",
    "             DEEPCUTS_API_PORT (4000), DEEPCUTS_DASHBOARD_PORT (3000), DEEPCUTS_THREADS, DEEPCUTS_DATA_DIR",
  ].join("\n");
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: string[], ctx?: Partial<CommandContext>): Promise<number> {
  const context: CommandContext = {
    config: ctx?.config ?? appConfig(),
    out: ctx?.out ?? ((t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`)),
    err: ctx?.err ?? ((t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`)),
  };
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    context.out(help());
    return name ? 0 : 2;
  }
  if (name === "--version") {
    context.out("deepcuts 0.1.0");
    return 0;
  }
  const command = commands.find((c) => c.name === name || c.aliases?.includes(name));
  if (!command) {
    context.err(`deepcuts: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    context.out(`usage: ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return await command.run(rest, context);
  } catch (error) {
    if (error instanceof UsageError) {
      context.err(`deepcuts ${name}: ${error.message}\nusage: ${command.usage}`);
      return 2;
    }
    const e = error as Error;
    // Database drivers can echo whole parameter arrays: keep the message readable.
    const message = e.message.length > 600 ? `${e.message.slice(0, 600)}... (${e.message.length} characters)` : e.message;
    context.err(`deepcuts ${name}: ${message}`);
    if (process.env.DEEPCUTS_DEBUG) context.err(e.stack ?? "");
    return 1;
  }
}
