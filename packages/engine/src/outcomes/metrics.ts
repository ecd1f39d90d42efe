import type { Database } from "@deepcuts/db";
import { SQL_COUNTED_STREAM } from "../listener/outcomes.ts";
import { kindsCounting, sqlKindIn } from "../events/kinds.ts";
import { BLEND_SOURCES } from "@deepcuts/models/blend";
import { meanOfRates, proportion, type Estimate } from "./intervals.ts";

/** The rows of `source` besides the sources themselves: every slot, and the exploration slots. */
export const ALL_SOURCES = "all";
export const EXPLORATION = "exploration";

export const METRIC_NAMES = ["reach", "streamRate", "saveRate", "skipRate", "hideRate", "hides", "newArtistStreamShare", "cameBack"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** One served slot and what came of it. */
export interface SlotResult {
  week: string;
  userId: number;
  blendVersion: number;
  explored: boolean;
  /** Each source's weighted z-score, as the playlist item logged it. */
  scores: Record<string, number>;
  streamed: boolean;
  /** Saved or added to another playlist. */
  saved: boolean;
  skipped: boolean;
  /** Marked "not for me". */
  hidden: boolean;
  /** The track's artist had no stream from this listener before the playlist's week. */
  newArtist: boolean;
}

export interface MetricRow extends Estimate {
  week: string;
  blendVersion: number;
  source: string;
  metric: MetricName;
}

/** The source a slot is credited to: exploration, or the source that contributed most (as the playlist's reason says). */
export function slotSource(slot: Pick<SlotResult, "explored" | "scores">): string {
  if (slot.explored) return EXPLORATION;
  let best: string = BLEND_SOURCES[0],
    top = -Infinity;
  for (const s of BLEND_SOURCES) {
    const v = slot.scores[s] ?? 0;
    if (v > top) {
      top = v;
      best = s;
    }
  }
  return best;
}

interface ListenerTally {
  served: number;
  streamed: number;
  saved: number;
  skipped: number;
  hidden: number;
  newArtistStreams: number;
}

function tally(slots: SlotResult[]): Map<number, ListenerTally> {
  const out = new Map<number, ListenerTally>();
  for (const s of slots) {
    let t = out.get(s.userId);
    if (!t) out.set(s.userId, (t = { served: 0, streamed: 0, saved: 0, skipped: 0, hidden: 0, newArtistStreams: 0 }));
    t.served++;
    if (s.streamed) t.streamed++;
    if (s.saved) t.saved++;
    if (s.skipped) t.skipped++;
    if (s.hidden) t.hidden++;
    if (s.streamed && s.newArtist) t.newArtistStreams++;
  }
  return out;
}

/**
 * The weekly online metrics of served slots, per (week, blend version) for every slot (`all`),
 * per source the slot is credited to, and for exploration slots:
 * - reach: listeners who streamed at least one of the group's tracks / listeners served (Wilson);
 * - streamRate, saveRate, skipRate, hideRate: the mean over listeners of their share of slots
 *   streamed (30 s or more, or a full play), saved or added to a playlist, skipped, hidden, with
 *   a normal interval over listeners (the listener is the unit: meanOfRates);
 * - hides: the number of slots marked "not for me" (a count: no interval), n = slots;
 * - newArtistStreamShare: streams of artists the listener had never streamed before the week /
 *   streams (Wilson over streams);
 * - cameBack (`all` only): of the listeners reached in the week, the share reached again by their
 *   next week's playlist, among those who have one (Wilson); absent while no next week exists.
 */
export function computeMetrics(slots: SlotResult[], level = 0.95): MetricRow[] {
  const groups = new Map<string, SlotResult[]>();
  const add = (key: string, s: SlotResult) => {
    const list = groups.get(key);
    if (list) list.push(s);
    else groups.set(key, [s]);
  };
  for (const s of slots) {
    add(`${s.week}|${s.blendVersion}|${ALL_SOURCES}`, s);
    add(`${s.week}|${s.blendVersion}|${slotSource(s)}`, s);
  }
  // Who was reached in which week (any blend version): for cameBack.
  const reachedIn = new Map<string, Set<number>>();
  const servedIn = new Map<string, Set<number>>();
  for (const s of slots) {
    if (!servedIn.has(s.week)) servedIn.set(s.week, new Set());
    servedIn.get(s.week)!.add(s.userId);
    if (s.streamed) {
      if (!reachedIn.has(s.week)) reachedIn.set(s.week, new Set());
      reachedIn.get(s.week)!.add(s.userId);
    }
  }
  const rows: MetricRow[] = [];
  for (const [key, list] of groups) {
    const [week, version, source] = key.split("|");
    const base = { week, blendVersion: Number(version), source };
    const perListener = [...tally(list).values()];
    const push = (metric: MetricName, e: Estimate) => rows.push({ ...base, metric, ...e });
    push("reach", proportion(perListener.filter((t) => t.streamed > 0).length, perListener.length, level));
    push(
      "streamRate",
      meanOfRates(
        perListener.map((t) => t.streamed / t.served),
        level,
      ),
    );
    push(
      "saveRate",
      meanOfRates(
        perListener.map((t) => t.saved / t.served),
        level,
      ),
    );
    push(
      "skipRate",
      meanOfRates(
        perListener.map((t) => t.skipped / t.served),
        level,
      ),
    );
    push(
      "hideRate",
      meanOfRates(
        perListener.map((t) => t.hidden / t.served),
        level,
      ),
    );
    const hides = perListener.reduce((a, t) => a + t.hidden, 0);
    push("hides", { value: hides, lower: hides, upper: hides, n: list.length });
    const streams = perListener.reduce((a, t) => a + t.streamed, 0);
    push(
      "newArtistStreamShare",
      proportion(
        perListener.reduce((a, t) => a + t.newArtistStreams, 0),
        streams,
        level,
      ),
    );
    if (source === ALL_SOURCES) {
      const next = new Date(Date.parse(`${week}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
      const nextServed = servedIn.get(next);
      if (nextServed) {
        const reached = new Set(list.filter((s) => s.streamed).map((s) => s.userId));
        const withNext = [...reached].filter((u) => nextServed.has(u));
        if (withNext.length) push("cameBack", proportion(withNext.filter((u) => reachedIn.get(next)?.has(u)).length, withNext.length, level));
      }
    }
  }
  return rows;
}

/** Every served slot of the given weeks with what came of it (listening_events with a playlist slot). */
export async function loadSlotResults(db: Database, weeks: string[]): Promise<SlotResult[]> {
  return db.query<SlotResult>(
    `SELECT to_char(p.week_start, 'YYYY-MM-DD') AS week, p.user_id AS "userId", coalesce(i.blend_version, b.version, 0) AS "blendVersion", i.explored, i.scores,
            coalesce(bool_or(${SQL_COUNTED_STREAM}), false) AS streamed,
            coalesce(bool_or(${sqlKindIn(kindsCounting({ track: "saves" }), "e.kind")}), false) AS saved,
            coalesce(bool_or(${sqlKindIn(kindsCounting({ track: "skips" }), "e.kind")}), false) AS skipped,
            coalesce(bool_or(${sqlKindIn(kindsCounting({ track: "dislikes" }), "e.kind")}), false) AS hidden,
            NOT EXISTS (SELECT 1 FROM listening_events x WHERE x.user_id = p.user_id AND x.artist_id = t.artist_id AND x.kind = 'STREAM' AND x.occurred_at < p.week_start) AS "newArtist"
     FROM weekly_playlists p
     JOIN playlist_items i ON i.playlist_id = p.id
     JOIN tracks t ON t.id = i.track_id
     LEFT JOIN blend_configs b ON b.id = p.blend_config_id
     LEFT JOIN listening_events e ON e.playlist_id = p.id AND e.position = i.position
     WHERE p.week_start = ANY($1::date[])
     GROUP BY p.id, i.playlist_id, i.position, t.id, b.id`,
    [weeks],
  );
}

export interface MetricsReport {
  weeks: string[];
  slots: number;
  rows: number;
  seconds: number;
}

/**
 * Recomputes and stores (`outcome_metrics`) the metrics of the last `weeks` weeks that have
 * playlists (default 8), replacing what was stored for those weeks in one transaction. The
 * newest week has no cameBack until the week after it has playlists.
 */
export async function computeOutcomeMetrics(
  db: Database,
  options: { weeks?: number; onProgress?: (message: string, done: number, total: number) => void } = {},
): Promise<MetricsReport> {
  const started = Date.now();
  const onProgress = options.onProgress ?? (() => {});
  const weeks = (
    await db.query<{ week: string }>(`SELECT DISTINCT to_char(week_start, 'YYYY-MM-DD') AS week FROM weekly_playlists ORDER BY week DESC LIMIT $1`, [
      options.weeks ?? 8,
    ])
  ).map((w) => w.week);
  onProgress("reading served slots and their outcomes", 0, 2);
  const slots = await loadSlotResults(db, weeks);
  const rows = computeMetrics(slots);
  onProgress("storing metrics", 1, 2);
  await db.transaction(async (query) => {
    // METRICS jobs and a SIMULATE job's recomputation may store at once: each would delete only
    // the rows its snapshot shows, then fail inserting over the rows another just stored.
    await query(`SELECT pg_advisory_xact_lock(hashtext('deepcuts.outcome-metrics'))`);
    await query(`DELETE FROM outcome_metrics WHERE week_start = ANY($1::date[])`, [weeks]);
    if (rows.length) {
      await query(
        `INSERT INTO outcome_metrics (week_start, blend_version, source, metric, value, lower, upper, n)
         SELECT * FROM unnest($1::date[], $2::int[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::int[])`,
        [
          rows.map((r) => r.week),
          rows.map((r) => r.blendVersion),
          rows.map((r) => r.source),
          rows.map((r) => r.metric),
          rows.map((r) => r.value),
          rows.map((r) => r.lower),
          rows.map((r) => r.upper),
          rows.map((r) => r.n),
        ],
      );
    }
  });
  onProgress("done", 2, 2);
  return { weeks, slots: slots.length, rows: rows.length, seconds: (Date.now() - started) / 1000 };
}

/** Stored metrics, newest week first, optionally of one blend version, source or metric. */
export async function storedMetrics(
  db: Database,
  filter: { weeks?: number; blendVersion?: number | null; source?: string | null; metric?: string | null } = {},
) {
  return db.query<{
    weekStart: string;
    blendVersion: number;
    source: string;
    metric: string;
    value: number;
    lower: number | null;
    upper: number | null;
    n: number;
    computedAt: Date;
  }>(
    `SELECT to_char(week_start, 'YYYY-MM-DD') AS "weekStart", blend_version AS "blendVersion", source, metric, value, lower, upper, n, computed_at AS "computedAt"
     FROM outcome_metrics
     WHERE week_start IN (SELECT DISTINCT week_start FROM outcome_metrics ORDER BY week_start DESC LIMIT $1)
       AND ($2::int IS NULL OR blend_version = $2) AND ($3::text IS NULL OR source = $3) AND ($4::text IS NULL OR metric = $4)
     ORDER BY week_start DESC, blend_version, source, metric`,
    [filter.weeks ?? 8, filter.blendVersion ?? null, filter.source ?? null, filter.metric ?? null],
  );
}
