import { describe, expect, it } from "vitest";
import { appConfig } from "../../config.ts";
import { main } from "../main.ts";

describe("deepcuts generate --now", () => {
  it.each([
    ["2026-02-30T00:00:00Z", "--now: is not a calendar date"],
    ["1900-01-01T00:00:00Z", "--now: must be on or after 2000-01-01"],
    ["0001-01-01T00:00:00Z", "--now: must be on or after 2000-01-01"],
    ["2999-01-01T00:00:00Z", "--now: must be no later than a day from now"],
    ["next monday", "--now: must be an ISO 8601 date-time with a zone"],
  ])("refuses %s as a usage error before touching the database", async (now, problem) => {
    const err: string[] = [];
    // A database URL nothing listens on: the flag must be refused before any connection.
    const config = { ...appConfig({}), database: { databaseUrl: "postgresql://nobody@127.0.0.1:9/none", home: "/nonexistent" } };
    const code = await main(["generate", "--now", now], { config, out: () => {}, err: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err.join("\n")).toContain(problem);
  });
});
