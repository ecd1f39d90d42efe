import { randomBytes } from "node:crypto";
import type { Database } from "@deepcuts/db";
import { SQL_COUNTED_STREAM as SQL_STREAM } from "../listener/outcomes.ts";
import { invalid, missing, ServiceError, checkServiceText } from "../service-error.ts";
import { TEXT_LIMITS } from "../validation/text.ts";
import { activeBlendConfig, holdActiveBlend } from "../curation/blends.ts";
import { abSampleSize, baselineOf, checkPlan, interleavingSampleSize, PlanFieldError, type ArmTally, type Baseline, type Plan } from "./statistics.ts";

export const EXPERIMENT_DESIGNS = ["AB", "INTERLEAVING"] as const;
export type ExperimentDesign = (typeof EXPERIMENT_DESIGNS)[number];
export const EXPERIMENT_STATUSES = ["RUNNING", "STOPPED"] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

export interface ExperimentRecord {
  id: number;
  name: string;
  design: ExperimentDesign;
  status: ExperimentStatus;
  controlVersion: number;
  candidateVersion: number;
  split: number;
  minimumEffect: number;
  alpha: number;
  power: number;
  /** Listeners needed in all (both arms together) before the verdict is read. */
  sampleSize: number;
  baseline: Baseline;
  author: string;
  createdAt: Date;
  stoppedAt: Date | null;
}

export interface CreateExperimentInput {
  name: string;
  design: ExperimentDesign;
  /** The saved blend configuration version to compare with the active one. */
  candidateVersion: number;
  /** A/B only: share of listeners in the candidate arm (default 0.5). */
  split?: number;
  /** Smallest stream-rate difference to detect (default 0.02). */
  minimumEffect?: number;
  alpha?: number;
  power?: number;
  /**
   * Salt of the A/B assignment of listeners to arms: default a random one,
   * so two experiments split listeners independently. Give one to reproduce an assignment
   * (a re-run of an analysis, a test): 1 to 64 letters, digits, '-' or '_'.
   */
  salt?: string;
  author: string;
}

export const EXPERIMENT_DEFAULTS = { split: 0.5, minimumEffect: 0.02, alpha: 0.05, power: 0.8 };

const SELECT = `SELECT e.id, e.name, e.design::text AS design, e.status::text AS status, c.version AS "controlVersion", d.version AS "candidateVersion",
  e.split, e.minimum_effect AS "minimumEffect", e.alpha, e.power, e.sample_size AS "sampleSize", e.plan AS baseline, e.author,
  e.created_at AS "createdAt", e.stopped_at AS "stoppedAt"
  FROM experiments e JOIN blend_configs c ON c.id = e.control_blend_id JOIN blend_configs d ON d.id = e.candidate_blend_id`;

/**
 * The baseline a plan is sized from: the control blend's listeners in the latest week they were
 * served and answered (a week with outcome events on its playlists: the week just made has
 * none yet and would size the plan from zeros), from their non-exploration slots. A service
 * with no answered week yet gets FALLBACK_BASELINE (the widest spread), so its plan errs
 * towards more listeners.
 */
export async function controlBaseline(db: Database, blendVersion: number): Promise<Baseline> {
  const rows = await db.query<{ served: number; streamed: number }>(
    `WITH latest AS (SELECT max(p.week_start) AS week FROM weekly_playlists p JOIN playlist_items i ON i.playlist_id = p.id
                     WHERE i.blend_version = $1 AND EXISTS (SELECT 1 FROM listening_events e WHERE e.playlist_id = p.id))
     SELECT count(*)::int AS served, count(*) FILTER (WHERE EXISTS (
       SELECT 1 FROM listening_events e JOIN tracks t ON t.id = e.track_id WHERE e.playlist_id = p.id AND e.position = i.position AND ${SQL_STREAM}))::int AS streamed
     FROM weekly_playlists p JOIN playlist_items i ON i.playlist_id = p.id, latest
     WHERE p.week_start = latest.week AND i.blend_version = $1 AND NOT i.explored
     GROUP BY p.user_id`,
    [blendVersion],
  );
  return baselineOf(rows.map((r): ArmTally => ({ served: r.served, streamed: r.streamed, saved: 0, skipped: 0, hidden: 0 })));
}
/**
 * Starts an experiment comparing the active blend (control) with a saved candidate version.
 * Its plan is fixed now: the sample size comes from the control's baseline, the minimum
 * effect, alpha and power, and the verdict is read only once that many listeners took part.
 * One experiment runs at a time (weekly generation serves it: weekly/generate.ts).
 */
export async function createExperiment(db: Database, input: CreateExperimentInput): Promise<ExperimentRecord> {
  const name = checkServiceText(input.name, "name", TEXT_LIMITS.name);
  if (!(EXPERIMENT_DESIGNS as readonly string[]).includes(input.design))
    throw invalid("design", `must be one of ${EXPERIMENT_DESIGNS.join(", ")}, got '${input.design}'`);
  const split = input.split ?? EXPERIMENT_DEFAULTS.split;
  if (!(split >= 0.01 && split <= 0.99)) throw invalid("split", `must be 0.01..0.99, got ${split}`);
  if (input.design === "INTERLEAVING" && input.split != null && input.split !== 0.5)
    throw invalid("split", "applies to A/B tests only: interleaving shows both arms to every listener");
  const salt = input.salt ?? randomBytes(8).toString("hex");
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(salt)) throw invalid("salt", `must be 1 to 64 letters, digits, '-' or '_', got '${salt}'`);
  const plan: Plan = {
    minimumEffect: input.minimumEffect ?? EXPERIMENT_DEFAULTS.minimumEffect,
    alpha: input.alpha ?? EXPERIMENT_DEFAULTS.alpha,
    power: input.power ?? EXPERIMENT_DEFAULTS.power,
  };
  try {
    checkPlan(plan);
  } catch (error) {
    if (!(error instanceof PlanFieldError)) throw error;
    throw invalid(error.field, error.problem);
  }
  const control = await activeBlendConfig(db);
  const candidate = await db.prisma.blendConfig.findUnique({ where: { version: input.candidateVersion } });
  if (!candidate) throw missing(`blend configuration version ${input.candidateVersion}`);
  if (candidate.id === control.id) throw invalid("candidateVersion", `version ${candidate.version} is the active blend: compare another version with it`);
  const baseline = await controlBaseline(db, control.version);
  const sampleSize = input.design === "AB" ? abSampleSize(plan, baseline, split) : interleavingSampleSize(plan, baseline);
  return db.transaction(async (query) => {
    // One at a time: the lock makes two concurrent creations queue, and the second sees the first.
    await query(`LOCK TABLE experiments IN SHARE ROW EXCLUSIVE MODE`);
    const [running] = await query<{ id: number; name: string }>(`SELECT id, name FROM experiments WHERE status = 'RUNNING' LIMIT 1`);
    if (running) throw new ServiceError("BAD_USER_INPUT", `experiment ${running.id} ('${running.name}') is running: stop it before starting another`, "design");
    // The control was read before these locks: an activation since then would record a control
    // that is no longer the active blend. Activations wait for this commit from here on.
    const active = await holdActiveBlend(query);
    if (active?.id !== control.id)
      throw new ServiceError(
        "BAD_USER_INPUT",
        `the active blend changed from version ${control.version} to ${active ? `version ${active.version}` : "none"} while the experiment was being planned: start it again`,
        "candidateVersion",
      );
    const [row] = await query<{ id: number }>(
      `INSERT INTO experiments (name, design, control_blend_id, candidate_blend_id, split, salt, minimum_effect, alpha, power, sample_size, plan, author)
       VALUES ($1, $2::"ExperimentDesign", $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12) RETURNING id`,
      [
        name,
        input.design,
        control.id,
        candidate.id,
        input.design === "AB" ? split : 0.5,
        salt,
        plan.minimumEffect,
        plan.alpha,
        plan.power,
        sampleSize,
        JSON.stringify(baseline),
        input.author,
      ],
    );
    const [record] = await query<ExperimentRecord>(`${SELECT} WHERE e.id = $1`, [row.id]);
    return record;
  });
}

/** Stops an experiment: later weekly playlists are the active blend's alone. Stopping a stopped one changes nothing. */
export async function stopExperiment(db: Database, id: number): Promise<ExperimentRecord> {
  await db.query(`UPDATE experiments SET status = 'STOPPED', stopped_at = now() WHERE id = $1 AND status = 'RUNNING'`, [id]);
  return getExperiment(db, id);
}

export async function getExperiment(db: Database, id: number): Promise<ExperimentRecord> {
  const [row] = await db.query<ExperimentRecord>(`${SELECT} WHERE e.id = $1`, [id]);
  if (!row) throw missing(`experiment ${id}`);
  return row;
}

/** Experiments, newest first, optionally only running or stopped ones. */
export async function listExperiments(db: Database, options: { status?: ExperimentStatus | null; first: number }): Promise<ExperimentRecord[]> {
  return db.query<ExperimentRecord>(`${SELECT} WHERE ($1::text IS NULL OR e.status::text = $1) ORDER BY e.id DESC LIMIT $2`, [
    options.status ?? null,
    options.first,
  ]);
}

/** Experiments by database id, in the order asked (null where none): the API's DataLoader. */
export async function experimentsById(db: Database, ids: readonly number[]): Promise<(ExperimentRecord | null)[]> {
  const rows = await db.query<ExperimentRecord>(`${SELECT} WHERE e.id = ANY($1::int[])`, [[...ids]]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}
