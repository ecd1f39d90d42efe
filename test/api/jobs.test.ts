import { describe, expect, it } from "vitest";
import { CancelledError } from "@deepcuts/models/core";
import { cancelJob, settleJobs, startJob } from "@deepcuts/engine/curation/jobs.ts";
import { startTraining, startWeeklyGeneration } from "@deepcuts/engine/curation/work.ts";
import { postgresUnavailable, type Target } from "../support/databases.ts";
import { codesOf, gql, useApiWorld, type ApiWorld } from "./support.ts";

const skipPostgres = await postgresUnavailable();
const CANCEL = `mutation($id:Int!){ cancelJob(id:$id){ id: databaseId status message error finishedAt } }`;

/** Work that runs until its signal is aborted, as a long fit checking its signal each iteration does. */
function untilCancelled(seen: { aborted: boolean }) {
  return (_progress: unknown, signal: AbortSignal) =>
    new Promise<never>((_, reject) => {
      signal.addEventListener("abort", () => {
        seen.aborted = true;
        reject(new CancelledError("test work"));
      });
    });
}

describe.each<Target>(["embedded", "postgres"])("cancelling jobs on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let w: ApiWorld;
  useApiWorld(target, skip, (world) => (w = world));

  const status = async (id: number) =>
    (await gql(w.api.url, `query($id:Int!){ job(id:$id){ status message error finishedAt } }`, { id }, w.keys.curator)).body.data!.job as Record<
      string,
      unknown
    >;

  it.skipIf(skip)(`an admin cancels a running job: its work sees the abort and the job ends CANCELLED ${skip ? skipPostgres : ""}`, async () => {
    const seen = { aborted: false };
    const job = await startJob(w.t.db, "TRAIN", { models: ["test"] }, untilCancelled(seen));
    await expect.poll(async () => (await status(job.id)).status).toBe("RUNNING");
    const r = await gql(w.api.url, CANCEL, { id: job.id }, w.keys.admin);
    expect(codesOf(r)).toEqual([]);
    expect(r.body.data!.cancelJob).toMatchObject({ id: job.id, status: "CANCELLED", message: "cancelled: test work was cancelled", error: null });
    expect(seen.aborted).toBe(true);
    const after = await status(job.id);
    expect(after.status).toBe("CANCELLED");
    expect(after.finishedAt).not.toBeNull();
  });

  it.skipIf(skip)("a curator may not cancel; an unknown or finished job is BAD_USER_INPUT naming id; an ownerless one is cancelled", async () => {
    const seen = { aborted: false };
    const job = await startJob(w.t.db, "GENERATE", {}, untilCancelled(seen));
    const refused = await gql(w.api.url, CANCEL, { id: job.id }, w.keys.curator);
    expect(codesOf(refused)).toEqual(["FORBIDDEN"]);
    expect(seen.aborted).toBe(false);
    await gql(w.api.url, CANCEL, { id: job.id }, w.keys.admin);
    expect(seen.aborted).toBe(true);

    const again = await gql(w.api.url, CANCEL, { id: job.id }, w.keys.admin);
    expect(again.body.errors![0]).toMatchObject({
      message: `id: job ${job.id} has already finished (CANCELLED)`,
      extensions: { code: "BAD_USER_INPUT", field: "id" },
    });
    const unknown = await gql(w.api.url, CANCEL, { id: 987_654 }, w.keys.admin);
    expect(unknown.body.errors![0]).toMatchObject({ message: "id: there is no job 987654", extensions: { code: "BAD_USER_INPUT", field: "id" } });
    // A row left RUNNING by a process that is gone (no owner, no heartbeat): cancelling it ends it at once (issue 27, item 6).
    const [foreign] = await w.t.db.query<{ id: number }>(
      `INSERT INTO jobs (kind, status, params, started_at) VALUES ('ANALYSE', 'RUNNING', '{}', now()) RETURNING id`,
    );
    const other = await gql(w.api.url, CANCEL, { id: foreign.id }, w.keys.admin);
    expect(codesOf(other)).toEqual([]);
    expect(other.body.data!.cancelJob).toMatchObject({ status: "CANCELLED", message: "cancelled (its owner was gone)" });
  });

  it.skipIf(skip)("a weekly generation cancelled before its first batch writes no playlist, and a later run makes them all", async () => {
    const count = async () => (await w.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM weekly_playlists`))[0].n;
    const before = await count();
    const job = await startWeeklyGeneration(w.t.db);
    const cancelled = await cancelJob(w.t.db, job.id);
    expect(cancelled.status).toBe("CANCELLED");
    expect(await count()).toBe(before);
    const rerun = await startWeeklyGeneration(w.t.db);
    expect(rerun.id).not.toBe(job.id);
    await settleJobs();
    expect((await status(rerun.id)).status).toBe("SUCCEEDED");
    // Listener 0 already had this week's playlist; the other three get theirs.
    expect(await count()).toBe(before + 3);
  });

  it.skipIf(skip)("training cancelled before its first model trains none, and the next training is not blocked", async () => {
    const versions = async () => (await w.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM model_versions WHERE kind = 'POPULARITY'`))[0].n;
    const job = await startTraining(w.t.db, ["popularity"], 1);
    const cancelled = await cancelJob(w.t.db, job.id);
    expect(cancelled.status).toBe("CANCELLED");
    expect(await versions()).toBe(0);
    const next = await startTraining(w.t.db, ["popularity"], 1);
    expect(next.id).not.toBe(job.id);
    await settleJobs();
    expect((await status(next.id)).status).toBe("SUCCEEDED");
    expect(await versions()).toBe(1);
  });
});
