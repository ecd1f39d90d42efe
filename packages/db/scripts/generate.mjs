// Runs `prisma generate` offline. The Prisma CLI insists on a native schema engine that it
// would download from Prisma's binary host (unreachable here and on offline machines), but
// `generate` never uses it: any executable that answers `--version` satisfies the check.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const cli = join(root, "node_modules/prisma/build/index.js");
if (!existsSync(cli)) {
  console.error("prisma CLI not installed yet; skipping client generation");
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), "deepcuts-prisma-"));
const engine = join(dir, "schema-engine");
writeFileSync(
  engine,
  '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "schema-engine-cli 0edf323efd1d98336f3f0a68684b56f689b900d3"; exit 0; fi\necho "the native schema engine is not available offline; use npm run db:migrate / db:diff" >&2\nexit 1\n',
);
chmodSync(engine, 0o755);
execFileSync(process.execPath, [cli, "generate", "--schema", join(root, "prisma/schema.prisma")], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: engine,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
    PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: "1",
  },
});
