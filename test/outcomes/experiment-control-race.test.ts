import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateBlendConfig, createBlendConfig } from "@deepcuts/engine/curation/blends.ts";
import { createExperiment } from "@deepcuts/engine/experiments/experiments.ts";
import { defaultBlendConstraints, defaultBlendWeights } from "@deepcuts/models/blend";
import { createTestDatabase, postgresUnavailable, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.warn(`skipping experiment-control-race.test.ts: ${skipPostgres}`);

/**
 * createExperiment reads the active blend (the control) before it takes its locks. An activation
 * committing in between must not leave an experiment whose control is no longer the active blend.
 * The activation is held open on its own connection, as activateBlendConfig runs it.
 */
describe.skipIf(skipPostgres !== null)("starting an experiment while another blend is being activated (PostgreSQL)", () => {
  let t: TestDatabase;
  let other: pg.Client;
  beforeAll(async () => {
    t = await createTestDatabase("postgres");
    other = new pg.Client({ connectionString: t.url! });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await t?.drop();
  });

  const version = (note: string) =>
    createBlendConfig(t.db, { weights: { ...defaultBlendWeights }, constraints: { ...defaultBlendConstraints }, author: "test", note });

  it("refuses with the versions named, records nothing, and starts once asked again", async () => {
    const [control, candidate, next] = [await version("control"), await version("candidate"), await version("next")];
    await activateBlendConfig(t.db, control.id);

    // A curator's activation of `next`, in flight: it holds the activation lock and has switched
    // the active row, uncommitted.
    await other.query(`BEGIN`);
    await other.query(`SELECT pg_advisory_xact_lock(hashtext('deepcuts.blend-activation'))`);
    await other.query(`UPDATE blend_configs SET is_active = (id = $1)`, [next.id]);

    const started = createExperiment(t.db, { name: "race", design: "AB", candidateVersion: candidate.version, author: "test" }).catch((e: unknown) => e);
    // Wait until the experiment's transaction waits for the activation's lock.
    for (let i = 0; i < 200; i++) {
      const [{ n }] = (await other.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rows;
      if (n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await other.query(`COMMIT`);

    const error = await started;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/active blend changed from version 1 to version 3/);
    const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM experiments`);
    expect(n).toBe(0);

    const again = await createExperiment(t.db, { name: "race", design: "AB", candidateVersion: candidate.version, author: "test" });
    const [row] = await t.db.query<{ control_blend_id: number }>(`SELECT control_blend_id FROM experiments WHERE id = $1`, [again.id]);
    expect(row.control_blend_id).toBe(next.id);
  });
});
