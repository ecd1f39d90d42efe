import { describe, expect, it } from "vitest";
import { listMigrations, migrate, MigrationError, pendingMigrations } from "@deepcuts/db";
import { createTestDatabase, postgresUnavailable, type Target } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();

describe.each<Target>(["embedded", "postgres"])("migrations on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  it.skipIf(skip)(`apply from empty, record checksums as Prisma does, and re-run as a no-op ${skip ? skipPostgres : ""}`, async () => {
    const t = await createTestDatabase(target, { migrated: false });
    try {
      const all = listMigrations();
      expect(await pendingMigrations(t.db)).toEqual(all.map((m) => m.name));
      const first = await migrate(t.db);
      expect(first.applied).toEqual(all.map((m) => m.name));
      const rows = await t.db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(all.map((m) => [m.name, m.checksum]));
      expect(rows.every((r) => r.finished_at !== null)).toBe(true);
      const second = await migrate(t.db);
      expect(second).toEqual({ applied: [], alreadyApplied: all.length });
      // The schema is usable through Prisma.
      await t.db.prisma.user.create({ data: { externalKey: "u1", name: "Ann", timeZone: "Asia/Tokyo" } });
      expect(await t.db.prisma.user.count()).toBe(1);
    } finally {
      await t.drop();
    }
  });

  it.skipIf(skip)("rolls back a failing migration completely and records nothing", async () => {
    const t = await createTestDatabase(target);
    try {
      const bad = { name: "29991231000000_bad", sql: "CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;", checksum: "x".repeat(64) };
      await expect(migrate(t.db, [...listMigrations(), bad])).rejects.toThrow(/29991231000000_bad failed and was rolled back/);
      const table = await t.db.query<{ present: boolean }>(`SELECT to_regclass('half_done') IS NOT NULL AS present`);
      expect(table[0].present).toBe(false);
      const recorded = await t.db.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1`, [bad.name]);
      expect(recorded).toHaveLength(0);
    } finally {
      await t.drop();
    }
  });

  it.skipIf(skip)("compresses playlist snapshots with lz4 where the server has it, pglz on the embedded database", async () => {
    const t = await createTestDatabase(target);
    try {
      const [column] = await t.db.query<{ method: string }>(
        `SELECT attcompression AS method FROM pg_attribute WHERE attrelid = 'weekly_playlists'::regclass AND attname = 'items_snapshot'`,
      );
      // '' is the server's default (pglz), 'l' lz4.
      expect(column.method).toBe(target === "postgres" ? "l" : "");
      // A snapshot large enough to be compressed is stored with that method and reads back whole.
      const [user] = await t.db.query<{ id: number }>(`INSERT INTO users (external_key, name, time_zone) VALUES ('u1', 'Ann', 'UTC') RETURNING id`);
      const snapshot = JSON.stringify(
        Array.from({ length: 200 }, (_, i) => ({ position: i, title: `Track ${i}`, reason: "because you played similar artists" })),
      );
      await t.db.query(
        `INSERT INTO weekly_playlists (user_id, week_start, status, model_versions, items_snapshot) VALUES ($1, '2026-11-30', 'COMPLETE', '{}', $2::json)`,
        [user.id, snapshot],
      );
      const [row] = await t.db.query<{ method: string; text: string }>(
        `SELECT pg_column_compression(items_snapshot) AS method, items_snapshot::text AS text FROM weekly_playlists`,
      );
      expect(row.method).toBe(target === "postgres" ? "lz4" : "pglz");
      expect(row.text).toBe(snapshot);
    } finally {
      await t.drop();
    }
  });

  it.skipIf(skip)("refuses to continue when an applied migration was edited", async () => {
    const t = await createTestDatabase(target);
    try {
      const edited = listMigrations().map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
      await expect(migrate(t.db, edited)).rejects.toThrow(MigrationError);
      await expect(migrate(t.db, edited)).rejects.toThrow(/was edited after it was applied/);
    } finally {
      await t.drop();
    }
  });
});
