import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateBlendConfig, activeBlendConfig, createBlendConfig } from "@deepcuts/engine/curation/blends.ts";
import { defaultBlendConstraints, defaultBlendWeights } from "@deepcuts/models/blend";
import { createTestDatabase, postgresUnavailable, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.warn(`skipping the PostgreSQL cases of blend-config.test.ts: ${skipPostgres}`);

describe.skipIf(skipPostgres !== null)("the first blend configuration on a fresh PostgreSQL database", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    await t?.drop();
  });

  // Weekly generation's worker threads (and worker processes) each ask for the active blend when
  // they start; on a fresh database they all find none and create version 1 at once.
  it("is created once when many callers ask for it at the same time, and every caller gets it", async () => {
    const configs = await Promise.all(Array.from({ length: 8 }, () => activeBlendConfig(t.db)));
    expect(new Set(configs.map((c) => c.id)).size).toBe(1);
    expect(configs.every((c) => c.version === 1 && c.isActive)).toBe(true);
    expect(configs[0].weights).toEqual(defaultBlendWeights);
    const rows = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM blend_configs`);
    expect(rows[0].n).toBe(1);
  });
});

describe.skipIf(skipPostgres !== null)("activating blend configurations on PostgreSQL", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    await t?.drop();
  });

  // Two curators (or one, through two API replicas) activating versions at the same moment: each
  // transaction deactivates the versions active in its own snapshot, so none sees the others' new
  // active row and all stay active.
  it("leaves one active configuration when several versions are activated at the same time", async () => {
    const made = [];
    for (let i = 0; i < 8; i++)
      made.push(
        await createBlendConfig(t.db, { weights: { ...defaultBlendWeights }, constraints: { ...defaultBlendConstraints }, author: "test", note: `v${i}` }),
      );
    const activated = await Promise.all(made.map((c) => activateBlendConfig(t.db, c.id)));
    expect(activated.every((c) => c.isActive)).toBe(true);
    const active = await t.db.query<{ id: number }>(`SELECT id FROM blend_configs WHERE is_active`);
    expect(active).toHaveLength(1);
    expect((await activeBlendConfig(t.db)).id).toBe(active[0].id);
  });
});

describe.each(["embedded", "postgres"] as const)("the active blend when no version is active (%s)", (target) => {
  let t: TestDatabase;
  beforeAll(async () => {
    if (target === "postgres" && skipPostgres) return;
    t = await createTestDatabase(target);
  });
  afterAll(async () => {
    await t?.drop();
  });

  // A curator stored a version before anything was active: it was never activated, so it must
  // not be what playlists are made with.
  it.skipIf(target === "postgres" && skipPostgres !== null)("stores the defaults as the next version rather than serving one nobody activated", async () => {
    const stored = await createBlendConfig(t.db, {
      weights: { ...defaultBlendWeights, text: defaultBlendWeights.text + 0.5 },
      constraints: { ...defaultBlendConstraints },
      author: "curator",
      note: "a draft",
    });
    expect(stored.version).toBe(1);
    const active = await activeBlendConfig(t.db);
    expect(active.version).toBe(2);
    expect(active.isActive).toBe(true);
    expect(active.weights).toEqual(defaultBlendWeights);
    expect((await activeBlendConfig(t.db)).id).toBe(active.id);
    const rows = await t.db.query<{ version: number; is_active: boolean }>(`SELECT version, is_active FROM blend_configs ORDER BY version`);
    expect(rows).toEqual([
      { version: 1, is_active: false },
      { version: 2, is_active: true },
    ]);
  });
});
