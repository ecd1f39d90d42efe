import type { Database } from "@deepcuts/db";
import { pickForListener, type BlendConstraints, type BlendWeights, type ListenerHistory, type ModelState } from "@deepcuts/models/blend";
import { activeBlendConfig, checkBlend } from "../curation/blends.ts";
import { SQL_COUNTED_STREAM } from "../listener/outcomes.ts";
import { zFor, type Estimate } from "../outcomes/intervals.ts";
import { invalid } from "../service-error.ts";
import { loadHistories } from "../weekly/histories.ts";
import { currentModelState } from "../weekly/load-model-state.ts";

export interface OffPolicyInput {
  weights: BlendWeights;
  /** Default: the active blend's. */
  constraints?: BlendConstraints;
  /** How many of the latest weeks with playlists to read (default 2, at most 12). */
  weeks?: number;
  /** At most this many playlists, the newest first (default 1000, at most 5000): the estimate re-ranks each one. */
  maxPlaylists?: number;
  level?: number;
  onProgress?: (message: string, done: number, total: number) => void;
  /** Models to score with (default: the active ones). */
  modelState?: ModelState;
}

export interface OffPolicyEstimate {
  /** Expected share of the blend's picks streamed (30 s or more, or a full play), with its interval; n = listeners with weight. */
  streamRate: Estimate;
  weeks: string[];
  playlists: number;
  /** Logged slots read, and those the blend would also have served (its weight is non-zero). */
  loggedSlots: number;
  matchedSlots: number;
  /** Of the matched slots, how many exploration drew. */
  explorationMatches: number;
  /** (sum of weights)^2 / sum of squared weights: how many equally weighted slots the estimate is worth. */
  effectiveSampleSize: number;
}

interface LoggedSlot {
  playlist_id: number;
  user_id: number;
  week: string;
  track_id: number;
  explored: boolean;
  propensity: number;
  streamed: boolean;
}

/** When each listener first touched each track and each artist: to take today's history back to a week's start. */
interface FirstSeen {
  track: Map<number, Map<number, number>>;
  artist: Map<number, Map<number, number>>;
}

async function firstSeen(db: Database, userIds: number[]): Promise<FirstSeen> {
  const rows = await db.query<{ user_id: number; track_id: number | null; artist_id: number | null; first: Date }>(
    `SELECT e.user_id, e.track_id, coalesce(e.artist_id, t.artist_id) AS artist_id, min(e.occurred_at) AS first
     FROM listening_events e LEFT JOIN tracks t ON t.id = e.track_id
     WHERE e.user_id = ANY($1::int[]) GROUP BY e.user_id, e.track_id, coalesce(e.artist_id, t.artist_id)`,
    [userIds],
  );
  const out: FirstSeen = { track: new Map(), artist: new Map() };
  const note = (m: Map<number, Map<number, number>>, user: number, key: number, at: number) => {
    let inner = m.get(user);
    if (!inner) m.set(user, (inner = new Map<number, number>()));
    inner.set(key, Math.min(at, inner.get(key) ?? Infinity));
  };
  for (const r of rows) {
    const at = new Date(r.first).getTime();
    if (r.track_id != null) note(out.track, r.user_id, r.track_id, at);
    if (r.artist_id != null) note(out.artist, r.user_id, r.artist_id, at);
  }
  return out;
}

/**
 * The listener's history as it stood when the week's playlist was made: tracks and artists
 * they first touched at or after the week's start are taken out again. Without this the
 * re-ranking would see the logged outcomes themselves (an artist streamed from the playlist now
 * counts as known), and the estimate would lean on what it is estimating.
 */
function historyAt(history: ListenerHistory, seen: FirstSeen, weekStart: number): ListenerHistory {
  const later = (m: Map<number, number> | undefined, key: number) => (m?.get(key) ?? -Infinity) >= weekStart;
  const tracks = seen.track.get(history.userId),
    artists = seen.artist.get(history.userId);
  const keepTrack = (id: number) => !later(tracks, id);
  const keepArtist = (id: number) => !later(artists, id);
  return {
    ...history,
    heard: new Map([...history.heard].filter(([id]) => keepTrack(id))),
    knownArtists: new Map([...history.knownArtists].filter(([id]) => keepArtist(id))),
    avoidArtists: new Set([...history.avoidArtists].filter(keepArtist)),
    skippedOnlyArtists: new Set([...history.skippedOnlyArtists].filter(keepArtist)),
  };
}

/**
 * The expected stream rate of a blend nobody has served yet, from what was served: self-normalised
 * inverse propensity scoring (Swaminathan and Joachims, "The self-normalized estimator for
 * counterfactual learning", NeurIPS 2015) over the logged slots of the latest weeks. For each
 * logged playlist the blend re-ranks the listener's candidates (their history as it was, today's
 * models) and the slots it would also have served count, weighted by 1 / the probability that
 * the logging policy served that track: 1 for a blend pick, and for an exploration draw the sum
 * of the playlist's exploration propensities (the chance the track was drawn in any of its
 * exploration slots). Estimate = sum(w r) / sum(w); its interval treats the listener as the unit
 * (the delta method for a ratio of sums over listeners). Tracks outside the logged blend's
 * candidate pool can never be logged: a blend far from the served ones is judged on the part of
 * its picks the logs cover (matchedSlots says how much).
 */
export async function offPolicyEstimate(db: Database, input: OffPolicyInput): Promise<OffPolicyEstimate> {
  const weekCount = input.weeks ?? 2,
    maxPlaylists = input.maxPlaylists ?? 1000,
    level = input.level ?? 0.95;
  if (!Number.isInteger(weekCount) || weekCount < 1 || weekCount > 12) throw invalid("weeks", `must be an integer 1..12, got ${weekCount}`);
  if (!Number.isInteger(maxPlaylists) || maxPlaylists < 1 || maxPlaylists > 5000)
    throw invalid("maxPlaylists", `must be an integer 1..5000, got ${maxPlaylists}`);
  const constraints = input.constraints ?? (await activeBlendConfig(db)).constraints;
  checkBlend(input.weights, constraints);
  const onProgress = input.onProgress ?? (() => {});
  const weeks = (
    await db.query<{ week: string }>(`SELECT DISTINCT to_char(week_start, 'YYYY-MM-DD') AS week FROM weekly_playlists ORDER BY week DESC LIMIT $1`, [weekCount])
  ).map((w) => w.week);
  const slots = await db.query<LoggedSlot>(
    `WITH chosen AS (
       SELECT p.id FROM weekly_playlists p
       WHERE p.week_start = ANY($1::date[]) AND NOT EXISTS (SELECT 1 FROM playlist_items i WHERE i.playlist_id = p.id AND i.propensity IS NULL)
       ORDER BY p.week_start DESC, p.id LIMIT $2)
     SELECT p.id AS playlist_id, p.user_id, to_char(p.week_start, 'YYYY-MM-DD') AS week, i.track_id, i.explored, i.propensity,
            coalesce(bool_or(${SQL_COUNTED_STREAM}), false) AS streamed
     FROM chosen JOIN weekly_playlists p ON p.id = chosen.id
     JOIN playlist_items i ON i.playlist_id = p.id JOIN tracks t ON t.id = i.track_id
     LEFT JOIN listening_events e ON e.playlist_id = p.id AND e.position = i.position
     GROUP BY p.id, i.playlist_id, i.position, t.id
     ORDER BY p.id, i.position`,
    [weeks, maxPlaylists],
  );
  const byPlaylist = new Map<number, LoggedSlot[]>();
  for (const s of slots) byPlaylist.set(s.playlist_id, [...(byPlaylist.get(s.playlist_id) ?? []), s]);
  const state = input.modelState ?? (await currentModelState(db));
  const userIds = [...new Set(slots.map((s) => s.user_id))];
  const histories = await loadHistories(db, userIds, state);
  const seen = await firstSeen(db, userIds);
  const perListener = new Map<number, { a: number; b: number }>();
  let matched = 0,
    explorationMatches = 0,
    sumW = 0,
    sumW2 = 0,
    done = 0;
  for (const [, logged] of byPlaylist) {
    const userId = logged[0].user_id;
    const history = historyAt(histories.get(userId)!, seen, Date.parse(`${logged[0].week}T00:00:00Z`));
    const picks = new Set(pickForListener(state, history, input.weights, constraints).items.map((i) => i.trackId));
    const explorationChance = logged.filter((s) => s.explored).reduce((a, s) => a + s.propensity, 0);
    for (const s of logged) {
      if (!picks.has(s.track_id)) continue;
      const w = s.explored ? 1 / Math.min(1, explorationChance) : 1 / s.propensity;
      matched++;
      if (s.explored) explorationMatches++;
      sumW += w;
      sumW2 += w * w;
      const t = perListener.get(userId) ?? { a: 0, b: 0 };
      t.a += w * (s.streamed ? 1 : 0);
      t.b += w;
      perListener.set(userId, t);
    }
    if (++done % 50 === 0) {
      onProgress("re-ranking logged playlists", done, byPlaylist.size);
      // Scoring is CPU work: let the server answer other requests between blocks.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  onProgress("re-ranking logged playlists", done, byPlaylist.size);
  return {
    streamRate: snips([...perListener.values()], level),
    weeks,
    playlists: byPlaylist.size,
    loggedSlots: slots.length,
    matchedSlots: matched,
    explorationMatches,
    effectiveSampleSize: sumW2 > 0 ? (sumW * sumW) / sumW2 : 0,
  };
}

/**
 * The self-normalised estimate sum(a) / sum(b) over clusters (listeners: a = sum of w r,
 * b = sum of w), with the delta-method interval var = n / (n - 1) sum (a - V b)^2 / (sum b)^2.
 */
export function snips(clusters: { a: number; b: number }[], level = 0.95): Estimate {
  const n = clusters.length;
  const A = clusters.reduce((s, c) => s + c.a, 0),
    B = clusters.reduce((s, c) => s + c.b, 0);
  if (n === 0 || B === 0) return { value: 0, lower: 0, upper: 1, n: 0 };
  const v = A / B;
  if (n < 2) return { value: v, lower: 0, upper: 1, n };
  const variance = ((n / (n - 1)) * clusters.reduce((s, c) => s + (c.a - v * c.b) ** 2, 0)) / (B * B);
  const half = zFor(level) * Math.sqrt(variance);
  return { value: v, lower: Math.max(0, v - half), upper: Math.min(1, v + half), n };
}
