import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { apiSchema } from "./schema.ts";
import { assertEveryInputBounded, checkArgumentValues, describeInputLimits } from "./input-limits.ts";

// The CommonJS copy of graphql, as type-graphql uses (see input-limits.ts).
const { buildSchema } = createRequire(import.meta.url)("graphql") as typeof import("graphql");

describe("input limits", () => {
  it("refuses a schema with a String or list argument that has no stated limit", () => {
    expect(() => assertEveryInputBounded(buildSchema(`type Query { find(text: String): Int }`))).toThrow(/Query\.text/);
    expect(() => assertEveryInputBounded(buildSchema(`input I { comment: String } type Query { put(i: I): Int }`))).toThrow(/I\.comment/);
    expect(() => assertEveryInputBounded(buildSchema(`type Query { many(numbers: [Int!]): Int }`))).toThrow(/Query\.numbers/);
    expect(() => assertEveryInputBounded(buildSchema(`type Query { tracks(search: String, after: String): Int }`))).not.toThrow();
  });

  it("states each limit in the live schema's descriptions", async () => {
    const schema = await apiSchema();
    const queries = schema.getQueryType()!.getFields();
    const args = (field: string) => Object.fromEntries(queries[field].args.map((a) => [a.name, a.description ?? ""]));
    expect(args("tracks").search).toContain("At most 200 characters, one line, no control characters.");
    expect(args("tracks").after).toContain("At most 200 characters");
    const mutations = schema.getMutationType()!.getFields();
    expect(mutations.recordEvents.args.find((a) => a.name === "events")!.description).toContain("At most 500 items.");
    expect(mutations.createBlendConfig.args.find((a) => a.name === "note")!.description).toContain(
      "At most 2000 characters; no control characters but tab and line breaks.",
    );
    // Describing twice adds nothing (the schema is built once, but emit-schema may run after tests).
    const before = args("tracks").search;
    describeInputLimits(schema);
    expect(args("tracks").search).toBe(before);
  });

  it("names the first bad value by its path, inside lists and input objects", async () => {
    const schema = await apiSchema();
    const events = schema.getMutationType()!.getFields().recordEvents.args;
    const event = { eventId: "ok", kind: "STREAM", occurredAt: new Date() };
    expect(() => checkArgumentValues(events, { userId: 1, events: [event, { ...event, eventId: "bad\u0000id" }] })).toThrow(
      /^events\[1\]\.eventId: must not contain control characters/,
    );
    expect(() => checkArgumentValues(events, { userId: 1, events: Array.from({ length: 501 }, () => event) })).toThrow(
      /^events: must hold at most 500 items, got 501/,
    );
    const blend = schema.getMutationType()!.getFields().createBlendConfig.args;
    expect(() => checkArgumentValues(blend, { note: "x".repeat(2001) })).toThrow(/^note: must be at most 2000 characters/);
    expect(() => checkArgumentValues(blend, { note: "x".repeat(2000) })).not.toThrow();
  });
});
