import type { AppConfig } from "../config.ts";

/** What every subcommand gets: configuration and where to write. */
export interface CommandContext {
  config: AppConfig;
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface Command {
  name: string;
  /** Other spellings accepted on the command line (not listed in the help). */
  aliases?: string[];
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(argv: string[], ctx: CommandContext): Promise<number>;
}

/** Prints a result as JSON (for scripts) or as readable text. */
export function emit(ctx: CommandContext, json: boolean, value: unknown, text: () => string): void {
  ctx.out(json ? JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v), 2) : text());
}
