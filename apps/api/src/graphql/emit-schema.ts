import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { apiSchema } from "./schema.ts";

// graphql's CommonJS entry, the copy type-graphql builds the schema with (vitest would otherwise
// hand this file the ESM copy, which refuses that schema's types).
const { lexicographicSortSchema, printSchema } = createRequire(import.meta.url)("graphql") as typeof import("graphql");

/** Where the committed SDL lives: apps/api/schema.graphql. */
export const schemaFile = resolve(dirname(fileURLToPath(import.meta.url)), "../../schema.graphql");

/** The SDL as committed: sorted, so it changes only when the API does. */
export async function printApiSchema(): Promise<string> {
  const header = "# Generated from the type-graphql resolvers by apps/api/src/graphql/emit-schema.ts. Do not edit.\n\n";
  return header + printSchema(lexicographicSortSchema(await apiSchema())) + "\n";
}

// Run directly (node --import tsx apps/api/src/graphql/emit-schema.ts) it rewrites the file.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaFile, await printApiSchema());
  console.log(`wrote ${schemaFile}`);
}
