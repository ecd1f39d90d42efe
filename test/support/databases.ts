import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { listMigrations, migrate, openEmbedded, openPostgres, type Database } from "@deepcuts/db";

/**
 * Test databases on both targets. Every test file gets a database of its own: a copy of a
 * migrated PGlite template directory (initdb costs ~8 s, a copy much less), or a fresh
 * database on the PostgreSQL server named by DEEPCUTS_TEST_POSTGRES_URL (default the local
 * server). When that server cannot be reached the PostgreSQL cases skip, saying why; CI sets
 * DEEPCUTS_REQUIRE_POSTGRES=1 so there a missing server fails instead.
 */
export type Target = "embedded" | "postgres";

export const postgresAdminUrl = process.env.DEEPCUTS_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

let postgresProbe: Promise<string | null> | null = null;

/** Null when the PostgreSQL server answers, else the reason it cannot be used. */
export function postgresUnavailable(): Promise<string | null> {
  postgresProbe ??= (async () => {
    const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return null;
    } catch (error) {
      if (process.env.DEEPCUTS_REQUIRE_POSTGRES === "1")
        throw new Error(`PostgreSQL required but unreachable at ${postgresAdminUrl}: ${(error as Error).message}`);
      return `PostgreSQL not reachable at ${postgresAdminUrl}: ${(error as Error).message}`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return postgresProbe;
}

const templateDir = join(
  tmpdir(),
  `deepcuts-test-template-${listMigrations()
    .map((m) => m.checksum.slice(0, 8))
    .join("-")}`,
);

/** The migrated PGlite template that embedded test databases are copied from, built once per migration set; its folder. */
export async function migratedTemplate(): Promise<string> {
  if (existsSync(templateDir)) return join(templateDir, "pglite");
  // Built aside and renamed into place, so parallel test files never see half a template.
  const building = mkdtempSync(join(tmpdir(), "deepcuts-template-build-"));
  const db = await openEmbedded(join(building, "pglite"), "test template");
  await migrate(db);
  await db.close();
  try {
    renameSync(building, templateDir);
  } catch {
    rmSync(building, { recursive: true, force: true });
  }
  return join(templateDir, "pglite");
}

export interface TestDatabase {
  db: Database;
  /** postgresql:// URL of the database (postgres target), for code that opens its own. */
  url: string | null;
  /** Folder that owns the embedded database (embedded target). */
  home: string | null;
  drop(): Promise<void>;
}

/** A new, migrated database of the given target, dropped by `drop()`. */
export async function createTestDatabase(target: Target, options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (target === "embedded") {
    const home = mkdtempSync(join(tmpdir(), "deepcuts-test-"));
    if (migrated) cpSync(await migratedTemplate(), join(home, "pglite"), { recursive: true });
    const db = await openEmbedded(join(home, "pglite"), "vitest");
    return {
      db,
      url: null,
      home,
      async drop() {
        await db.close();
        rmSync(home, { recursive: true, force: true });
      },
    };
  }
  const name = `deepcuts_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = postgresAdminUrl.replace(/\/[^/]*$/, `/${name}`);
  const db = await openPostgres(url);
  if (migrated) await migrate(db);
  return {
    db,
    url,
    home: null,
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: postgresAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
