import { randomUUID } from "node:crypto";
import type { Database } from "./database.ts";
import { listMigrations, type Migration } from "./migrations.ts";

// The bookkeeping table exactly as `prisma migrate deploy` creates it, so a real Prisma CLI
// elsewhere sees the same state.
const bookkeeping = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies pending migrations in name order, each in its own transaction together with its
 * `_prisma_migrations` row, so a failing migration leaves neither its changes nor a record.
 * Refuses to go on when an applied migration's file was edited (checksum mismatch) or a
 * previous run left a failed migration.
 */
export async function migrate(db: Database, migrations: Migration[] = listMigrations()): Promise<MigrateResult> {
  await db.execScript(bookkeeping);
  const rows = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
  );
  const applied = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r]));
  for (const row of applied.values()) {
    if (row.finished_at === null) {
      throw new MigrationError(`migration ${row.migration_name} failed earlier and was never finished; fix the database by hand, then mark it rolled back`);
    }
  }
  const done: string[] = [];
  for (const m of migrations) {
    const existing = applied.get(m.name);
    if (existing) {
      if (existing.checksum !== m.checksum) {
        throw new MigrationError(
          `migration ${m.name} was edited after it was applied (checksum ${existing.checksum.slice(0, 12)}... in the database, ${m.checksum.slice(0, 12)}... on disk); add a new migration instead`,
        );
      }
      continue;
    }
    const record = `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
      VALUES ('${randomUUID()}', '${m.checksum}', '${m.name.replace(/'/g, "''")}', now(), now(), 1);`;
    try {
      await db.execScript(`${m.sql}\n;\n${record}`);
    } catch (error) {
      throw new MigrationError(`migration ${m.name} failed and was rolled back: ${(error as Error).message}`);
    }
    done.push(m.name);
  }
  return { applied: done, alreadyApplied: migrations.length - done.length };
}

/** Names of migrations on disk that the database has not applied yet. */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const exists = await db.query<{ present: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
  const names = new Set<string>();
  if (exists[0]?.present) {
    const rows = await db.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    rows.forEach((r) => names.add(r.migration_name));
  }
  return listMigrations()
    .map((m) => m.name)
    .filter((n) => !names.has(n));
}
