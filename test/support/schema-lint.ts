import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint, type Linter } from "eslint";
import graphqlPlugin from "@graphql-eslint/eslint-plugin";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { apiSchema } from "../../apps/api/src/graphql/schema.ts";

/**
 * graphql-eslint's schema rules: its recommended and Relay sets, with descriptions required on
 * every type, field, argument and input field. Two rules are set differently, each for a reason:
 * `strict-id-in-types` is off (value objects such as BlendWeights or PageInfo have no identity;
 * every object with one implements Node, which test/api/schema-conventions.test.ts checks), and
 * `relay-edge-types` allows plain lists beside connections (a vector's values, a playlist's at
 * most 100 items) and edges whose node has no identity of its own (ListeningEvent).
 */
export function schemaLintConfig(schemaFile: string): Linter.Config[] {
  return [
    {
      files: ["**/*.graphql"],
      languageOptions: { parser: graphqlPlugin.parser, parserOptions: { graphQLConfig: { schema: schemaFile } } },
      plugins: { "@graphql-eslint": graphqlPlugin as unknown as NonNullable<Linter.Config["plugins"]>[string] },
      rules: {
        ...graphqlPlugin.configs["flat/schema-recommended"].rules,
        ...graphqlPlugin.configs["flat/schema-relay"].rules,
        "@graphql-eslint/strict-id-in-types": "off",
        "@graphql-eslint/relay-edge-types": ["error", { withEdgeSuffix: true, shouldImplementNode: false, listTypeCanWrapOnlyEdgeType: false }],
        "@graphql-eslint/require-description": [
          "error",
          { types: true, rootField: true, FieldDefinition: true, InputValueDefinition: true, DirectiveDefinition: true },
        ],
      },
    },
  ];
}

/**
 * Lints the schema the API serves, printed with its applied directives (the committed
 * apps/api/schema.graphql is the same schema without them: graphql's printer leaves out
 * directive uses such as `@cacheControl`). Returns each finding with its line and rule.
 */
export async function lintSchema(): Promise<{ line: number; rule: string | null; message: string }[]> {
  const dir = mkdtempSync(join(tmpdir(), "deepcuts-schema-lint-"));
  try {
    const file = join(dir, "schema.graphql");
    writeFileSync(file, printSchemaWithDirectives(await apiSchema()));
    const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: schemaLintConfig(file), cwd: dir });
    const [result] = await eslint.lintFiles([file]);
    return result.messages.map((m) => ({ line: m.line, rule: m.ruleId, message: m.message }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly (npm run api:lint-schema): prints each finding, exits non-zero when there is one.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const findings = await lintSchema();
  for (const f of findings) console.log(`schema line ${f.line}: ${f.rule ?? ""} ${f.message}`);
  console.log(`${findings.length} finding(s)`);
  process.exit(findings.length ? 1 : 0);
}
