import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { launchMode, tsxInstalled } from "./launch.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const forbidTsx = resolve(here, "../../../.ci/forbid-tsx.mjs");
const work = mkdtempSync(join(tmpdir(), "deepcuts-launcher-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A command laid out as the apps are (an ES module package): bin/demo.mjs, its TypeScript entry in src/ and (if `built`) the compiled one in dist/. */
function command(name: string, built: boolean): string {
  const dir = join(work, name);
  mkdirSync(join(dir, "bin"), { recursive: true });
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  const launcher = pathToFileURL(join(here, "launch.mjs")).href;
  writeFileSync(
    join(dir, "bin", "demo.mjs"),
    `import { launch } from ${JSON.stringify(launcher)};\nawait launch({ command: "demo", compiled: new URL("../dist/main.js", import.meta.url), source: new URL("../src/main.ts", import.meta.url) });\n`,
  );
  // Type annotations: plain Node cannot load this file, only tsx can.
  writeFileSync(
    join(dir, "src", "main.ts"),
    `export async function main(argv: string[]): Promise<number> {\n  console.log("source " + argv.join(" "));\n  return 4;\n}\n`,
  );
  if (built) {
    mkdirSync(join(dir, "dist"), { recursive: true });
    writeFileSync(join(dir, "dist", "main.js"), `export async function main(argv) {\n  console.log("compiled " + argv.join(" "));\n  return 3;\n}\n`);
  }
  return join(dir, "bin", "demo.mjs");
}

function run(bin: string, env: Record<string, string>, nodeArgs: string[] = []) {
  const result = spawnSync(process.execPath, [...nodeArgs, bin, "a", "b"], {
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "", ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe("the command launcher", () => {
  it("picks the compiled code in production or without tsx, the sources through tsx otherwise", () => {
    expect(launchMode({ NODE_ENV: "production" }, true)).toBe("compiled");
    expect(launchMode({}, false)).toBe("compiled");
    expect(launchMode({ NODE_ENV: "development" }, true)).toBe("source");
    expect(launchMode({}, true)).toBe("source");
    // This repository has its dev dependencies, so development runs the sources.
    expect(tsxInstalled()).toBe(true);
  });

  it("runs the TypeScript sources in development and the compiled dist/ in production, without loading tsx", () => {
    const bin = command("built", true);
    expect(run(bin, {})).toEqual({ status: 4, stdout: "source a b", stderr: "" });
    expect(run(bin, { NODE_ENV: "production" }, ["--import", forbidTsx])).toEqual({ status: 3, stdout: "compiled a b", stderr: "" });
    // Where tsx cannot be resolved (an install without dev dependencies; the guard refuses to
    // resolve it), the compiled code runs even without NODE_ENV=production.
    expect(run(bin, {}, ["--import", forbidTsx])).toEqual({ status: 3, stdout: "compiled a b", stderr: "" });
  });

  it("says to build first when production has no compiled code", () => {
    const bin = command("unbuilt", false);
    const result = run(bin, { NODE_ENV: "production" });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`demo: ${join(work, "unbuilt", "dist", "main.js")} is missing: run \`npm run build\` first (production runs the compiled code)`);
  });
});
