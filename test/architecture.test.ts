import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Where a thing lives is a rule, checked here: apps are thin and independent, the engine knows
// nothing of GraphQL, HTTP or the CLI, and the models know nothing of the database.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (["node_modules", ".next", "generated"].includes(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier a file imports (static, dynamic and re-exports), relative ones resolved to repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g)].map((m) => m[1]);
  return specs.map((s) => (s.startsWith(".") ? relative(root, resolve(dirname(file), s)) : s));
}

function violations(dir: string, forbidden: (spec: string) => boolean): string[] {
  return sourceFiles(join(root, dir)).flatMap((file) =>
    importsOf(file)
      .filter(forbidden)
      .map((spec) => `${relative(root, file)} imports ${spec}`),
  );
}

const apps = readdirSync(join(root, "apps"));

describe("layout", () => {
  it.each(apps)("apps/%s imports no other app", (app) => {
    const other = (spec: string) =>
      apps.some((a) => a !== app && (spec.startsWith(`apps/${a}/`) || spec === `@deepcuts/${a}` || spec.startsWith(`@deepcuts/${a}/`)));
    expect(violations(`apps/${app}`, other)).toEqual([]);
  });

  it("packages import no app, and the engine nothing of GraphQL, HTTP servers or the CLI", () => {
    const appImport = (spec: string) => spec.startsWith("apps/") || apps.some((a) => spec === `@deepcuts/${a}` || spec.startsWith(`@deepcuts/${a}/`));
    expect(violations("packages", appImport)).toEqual([]);
    const serving = (spec: string) => /^(graphql|type-graphql|@apollo\/|dataloader|next|react)(\/|$)/.test(spec) || spec.includes("/cli/");
    expect(violations("packages/engine", serving)).toEqual([]);
  });

  it("the models package is pure computation: no database, engine or network client", () => {
    const impure = (spec: string) => /^(@deepcuts\/(db|engine|demo)|pg|@prisma\/|@electric-sql\/)(\/|$)/.test(spec);
    expect(violations("packages/models", impure)).toEqual([]);
  });
});
