import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateModelVersion, beginModelVersion, finishModelVersion, type ModelKindName } from "@deepcuts/engine/training/model-versions.ts";
import { createTestDatabase, postgresUnavailable, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();
if (skipPostgres) console.warn(`skipping the PostgreSQL cases of model-activation.test.ts: ${skipPostgres}`);

describe.skipIf(skipPostgres !== null)("activating model versions at the same time on PostgreSQL", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("postgres");
  });
  afterAll(async () => {
    await t?.drop();
  });

  const activeOf = (kind: ModelKindName) =>
    t.db.query<{ id: number }>(`SELECT id FROM model_versions WHERE kind = $1::text::"ModelKind" AND is_active`, [kind]);

  // Training runs on several workers that finish together: each transaction deactivates only the
  // versions its own snapshot shows active, so without a lock all of them stay active.
  it("leaves one active version of a kind when several trainings of it finish at once", async () => {
    const ids = [];
    for (let i = 0; i < 8; i++) ids.push(await beginModelVersion(t.db, "POPULARITY", { run: i }));
    await Promise.all(ids.map((id) => finishModelVersion(t.db, id, { metrics: { run: id } })));
    expect(await activeOf("POPULARITY")).toHaveLength(1);
  });

  // A curator activating a version (API replicas, the CLI) while others do.
  it("leaves one active version of a kind when several versions are activated at once", async () => {
    const ids = [];
    for (let i = 0; i < 8; i++) {
      const id = await beginModelVersion(t.db, "ALS", { run: i });
      await finishModelVersion(t.db, id, { activate: false });
      ids.push(id);
    }
    await Promise.all(ids.map((id) => activateModelVersion(t.db, id)));
    expect(await activeOf("ALS")).toHaveLength(1);
    // Other kinds keep their own active version.
    expect(await activeOf("POPULARITY")).toHaveLength(1);
  });
});
