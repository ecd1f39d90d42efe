#!/usr/bin/env node
// Compiles one workspace package's TypeScript sources (src/**/*.ts, tests left out) to plain
// JavaScript in dist/, file by file, so that production runs on Node without tsx.
//   node ../../scripts/build-package.mjs        (from the package folder; `npm run build` there)
// Why file by file and not one bundle: the code finds its neighbours through import.meta.url
// (the repository root from packages/db/src, the worker-thread entries beside pool.ts, the
// dashboard from apps/api/src/runtime), and dist/ keeps src/'s layout and depth, so those paths
// hold in both. esbuild transpiles exactly as tsx does in development (same tsconfig: legacy
// decorators, no decorator metadata, so every @Field names its type explicitly).
// Import specifiers are rewritten on the way: "./x.ts" -> "./x.js", and "@deepcuts/<pkg>/..."
// -> a relative path into that package's dist/ (resolved through its package.json exports), so
// the compiled tree needs no loader and no export conditions. Other files under src/ (worker
// .mjs entries, .wasm, .json) are copied as they are.
import { build } from "esbuild";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = process.cwd();
const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(packageDir, "src");
const outDir = join(packageDir, "dist");
if (!existsSync(srcDir)) {
  console.error(`build-package: ${srcDir} does not exist (run it from a package folder)`);
  process.exit(1);
}

const isTest = (file) => /\.(test|spec|bench)\.tsx?$/.test(file);
function walk(dir, files = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, files);
    else files.push(path);
  }
  return files;
}
const all = walk(srcDir);
const entryPoints = all.filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".d.ts") && !isTest(f));
const assets = all.filter((f) => !/\.tsx?$/.test(f));

// The workspace's packages by name, from the root package.json's workspace globs.
const workspaces = new Map();
for (const parent of ["packages", "apps"]) {
  for (const name of readdirSync(join(repositoryRoot, parent))) {
    const file = join(repositoryRoot, parent, name, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8"));
    workspaces.set(manifest.name, { dir: dirname(file), exports: manifest.exports ?? {} });
  }
}

/** "@deepcuts/engine/jobs/queue.ts" -> the source file it names, through the exports map. */
function workspaceSource(specifier) {
  const [scope, name, ...rest] = specifier.split("/");
  const target = workspaces.get(`${scope}/${name}`);
  if (!target) return null;
  const subpath = rest.length ? `./${rest.join("/")}` : ".";
  for (const [key, value] of Object.entries(target.exports)) {
    const to = typeof value === "string" ? value : (value.default ?? value.import);
    if (key === subpath) return join(target.dir, to);
    const star = key.indexOf("*");
    if (star >= 0 && subpath.startsWith(key.slice(0, star)) && subpath.endsWith(key.slice(star + 1))) {
      const matched = subpath.slice(star, subpath.length - (key.length - star - 1));
      return join(target.dir, to.replace("*", matched));
    }
  }
  throw new Error(`build-package: ${specifier} is not exported by ${target.dir}/package.json`);
}

const toDist = (file) => file.replace(`${sep}src${sep}`, `${sep}dist${sep}`).replace(/\.tsx?$/, ".js");
const relativeSpecifier = (fromFile, toFile) => {
  const path = relative(dirname(fromFile), toFile).split(sep).join("/");
  return path.startsWith(".") ? path : `./${path}`;
};

const rewriteImports = {
  name: "rewrite-imports",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      if (args.path.startsWith(".")) {
        return { path: args.path.replace(/\.tsx?$/, ".js"), external: true };
      }
      if (args.path.startsWith("@deepcuts/")) {
        const source = workspaceSource(args.path);
        if (source) return { path: relativeSpecifier(toDist(args.importer), toDist(source)), external: true };
      }
      return { path: args.path, external: true };
    });
  },
};

rmSync(outDir, { recursive: true, force: true });
const started = performance.now();
const result = await build({
  entryPoints,
  outdir: outDir,
  outbase: srcDir,
  bundle: true, // only so that the plugin sees every import; each of them is external
  plugins: [rewriteImports],
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
  tsconfig: existsSync(join(packageDir, "tsconfig.json")) ? join(packageDir, "tsconfig.json") : undefined,
});
for (const file of assets) cpSync(file, join(outDir, relative(srcDir, file)));
const ms = Math.round(performance.now() - started);
console.log(`${relative(repositoryRoot, packageDir)}: ${entryPoints.length} files compiled, ${assets.length} copied to dist/ in ${ms} ms`);
process.exitCode = result.errors.length ? 1 : 0;
