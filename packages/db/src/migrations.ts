import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const schemaPath = join(repositoryRoot, "prisma/schema.prisma");
export const migrationsDir = join(repositoryRoot, "prisma/migrations");

export interface Migration {
  /** Folder name, e.g. 20261125040000_init; migrations apply in name order. */
  name: string;
  sql: string;
  /** sha256 of migration.sql as Prisma records it in _prisma_migrations.checksum. */
  checksum: string;
}

/** The migrations folder in apply order. */
export function listMigrations(dir = migrationsDir): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}
