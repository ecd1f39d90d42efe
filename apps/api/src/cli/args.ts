import { parseArgs, type ParseArgsConfig } from "node:util";

/** A usage mistake: printed with the command's help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses a subcommand's arguments strictly, turning parseArgs errors into UsageErrors. */
export function parse(
  argv: string[],
  options: Options,
  allowPositionals = true,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals, strict: true });
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ""));
  }
}

/** Reads a numeric flag, naming it in the error when it is not a number in range. */
export function numberFlag(value: unknown, name: string, fallback: number, { min = -Infinity, max = Infinity, integer = false } = {}): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    const kind = integer ? "an integer" : "a number";
    throw new UsageError(`--${name} must be ${kind} in ${min}..${max}, got '${typeof value === "string" ? value : JSON.stringify(value)}'`);
  }
  return n;
}
