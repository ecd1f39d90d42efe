import { describe, expect, it } from "vitest";
import { appConfig } from "../config.ts";
import { main } from "./main.ts";

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { config: appConfig({}), out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("deepcuts command names", () => {
  it("takes the other spelling of a command as an alias, listing only the project's own", async () => {
    const analyse = await run(["analyse", "--help"]);
    const analyze = await run(["analyze", "--help"]);
    expect(analyse.code).toBe(0);
    expect(analyze).toEqual(analyse);
    expect(analyse.out).toContain("usage: deepcuts analyse");
    const help = await run(["help"]);
    expect(help.out).toMatch(/^ {2}analyse /m);
    expect(help.out).not.toMatch(/^ {2}analyze /m);
  });

  it("refuses an unknown command as a usage error", async () => {
    const { code, err } = await run(["analyzer"]);
    expect(code).toBe(2);
    expect(err).toContain("unknown command 'analyzer'");
  });
});
