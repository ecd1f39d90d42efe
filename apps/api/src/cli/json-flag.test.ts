import { describe, expect, it } from "vitest";
import { parse } from "./args.ts";
import { commands } from "./main.ts";
import { readyLine } from "./server-events.ts";

describe("--json on every deepcuts command (README: every command takes it)", () => {
  it.each(commands.map((c) => [c.name, c] as const))("%s names --json in its usage", (_name, command) => {
    expect(command.usage).toContain("--json");
  });

  it("start and serve accept --json, and their ready line is one JSON object with the addresses", () => {
    for (const name of ["start", "serve"]) expect(commands.find((c) => c.name === name)!.usage).toMatch(/--json: .*JSON line/);
    expect(() => parse(["--json", "--no-dashboard"], { json: { type: "boolean" }, "no-dashboard": { type: "boolean" } }, false)).not.toThrow();
    const line = readyLine({ apiUrl: "http://127.0.0.1:4000/", dashboardUrl: null, worker: null, stop: async () => {} } as never, Date.now() - 5, {
      curatorKey: "dc_x",
    });
    expect(line).not.toContain("\n");
    expect(JSON.parse(line)).toMatchObject({
      event: "ready",
      serving: true,
      apiUrl: "http://127.0.0.1:4000/",
      subscriptionsUrl: "ws://127.0.0.1:4000/",
      dashboardUrl: null,
      worker: null,
      curatorKey: "dc_x",
    });
  });
});
