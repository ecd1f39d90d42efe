import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printApiSchema, schemaFile } from "../../apps/api/src/graphql/emit-schema.ts";

describe("committed SDL", () => {
  it("apps/api/schema.graphql matches the resolvers (regenerate: node --import tsx apps/api/src/graphql/emit-schema.ts)", async () => {
    const committed = readFileSync(schemaFile, "utf8");
    expect(await printApiSchema()).toBe(committed);
  });
});
