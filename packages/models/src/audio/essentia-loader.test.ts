import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const loader = fileURLToPath(new URL("./essentia-loader.ts", import.meta.url));

/** Runs `body` as an ES module in a fresh Node process (with tsx) and parses its JSON output. */
function inFreshProcess(body: string): { uncaught: number; unhandled: number } {
  const count = `JSON.stringify({ uncaught: process.listeners("uncaughtException").length, unhandled: process.listeners("unhandledRejection").length })`;
  const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", `${body}\nconsole.log(${count});`], {
    encoding: "utf8",
  });
  return JSON.parse(output.trim().split("\n").at(-1)!);
}

describe("loadEssentia", () => {
  it("leaves the process's error listeners as they were, where a raw load adds its own", () => {
    const raw = inFreshProcess(
      `import { createRequire } from "node:module"; createRequire(${JSON.stringify(loader)})("essentia.js/dist/essentia-wasm.umd.js");`,
    );
    expect(raw.uncaught + raw.unhandled).toBeGreaterThan(0);
    const ours = inFreshProcess(
      `import { loadEssentia } from ${JSON.stringify(loader)}; const { essentia } = loadEssentia(); if (!essentia.version) throw new Error("no essentia");`,
    );
    expect(ours).toEqual({ uncaught: 0, unhandled: 0 });
  });
});
