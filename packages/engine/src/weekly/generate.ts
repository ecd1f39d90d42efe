import { copyNumber, copyText, refreshPlannerStatistics, type CopyRows, type Database } from "@deepcuts/db";
import { CancelledError } from "@deepcuts/models/core";
import { explorationRandom, type ModelState } from "@deepcuts/models/blend";
import { activeBlendConfig } from "../curation/blends.ts";
import { weekStartFor } from "./week.ts";
import { serveExperiment, servingExperiment, type ServedPlaylist } from "../experiments/serve.ts";
import { loadModelState } from "./load-model-state.ts";
import { loadHistories } from "./histories.ts";
import { pickForListeners, type BatchTimings } from "./batch.ts";
import { itemsSnapshots } from "../listener/playlists.ts";

export interface GenerateOptions {
  now?: Date;
  /** Only these listeners (database ids); default every listener. */
  userIds?: number[];
  /** Only listeners with ids in this inclusive range (a shard of a fanned-out run). */
  idRange?: { from: number; to: number };
  /** Loaded models to reuse (a worker keeps them between shards while no version changes). */
  modelState?: () => Promise<ModelState>;
  batchSize?: number;
  onProgress?: (message: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface GenerateReport {
  due: number;
  made: number;
  alreadyMade: number;
  short: number;
  coldStart: number;
  blendConfigVersion: number;
  seconds: number;
  /**
   * Where the seconds went: setup (loading the models and preparing the scorer, once per run or
   * worker), loading histories, the batch scorer's split (batch.ts), writes.
   */
  timings: GenerateTimings;
}

export interface GenerateTimings extends BatchTimings {
  load: number;
  writes: number;
}

/**
 * Makes every weekly playlist that is due: one per listener for the week that contains `now`
 * in the listener's own time zone. Safe to run any time and as often as wanted: a (listener,
 * week) playlist is written once, in the same transaction as its items, and never changed;
 * each batch commits on its own, so a run that stops half way resumes where it stopped.
 */
export async function generateDuePlaylists(db: Database, options: GenerateOptions = {}): Promise<GenerateReport> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const onProgress = options.onProgress ?? (() => {});
  const blend = await activeBlendConfig(db);
  const { constraints, weights } = blend;
  // A running experiment decides each playlist's blend (A/B) or interleaves two (experiments/serve.ts).
  const experiment = await servingExperiment(db);
  const { users, weekOf, made } = await listenersAndWeeks(db.query, now, options);
  const due = users.filter((u) => !made.has(`${u.id}:${weekOf.get(u.id)}`));
  const timings: GenerateTimings = { setup: 0, load: 0, scoring: 0, selection: 0, blendAndMmr: 0, writes: 0 };
  const report: GenerateReport = {
    due: due.length,
    made: 0,
    alreadyMade: users.length - due.length,
    short: 0,
    coldStart: 0,
    blendConfigVersion: blend.version,
    seconds: 0,
    timings,
  };
  let clock = performance.now();
  const lap = () => {
    const seconds = (performance.now() - clock) / 1000;
    clock = performance.now();
    return seconds;
  };
  if (due.length === 0) {
    report.seconds = (Date.now() - started) / 1000;
    return report;
  }
  onProgress("loading catalogue and models", 0, due.length);
  lap();
  // Histories are read 200 listeners at a time by `user_id = ANY(...)`: planned without
  // statistics (after a bulk load, autovacuum off or behind, or PGlite), that reads whole tables.
  await refreshPlannerStatistics(db);
  const state = await (options.modelState ?? (() => loadModelState(db)))();
  timings.setup += lap();
  const batchSize = options.batchSize ?? 200;
  for (let i = 0; i < due.length; i += batchSize) {
    if (options.signal?.aborted) throw new CancelledError("weekly generation");
    const batch = due.slice(i, i + batchSize);
    lap();
    const histories = await loadHistories(
      db,
      batch.map((u) => u.id),
      state,
    );
    timings.load += lap();
    // Outside experiments the whole batch is scored at once (batch.ts: native matrix products
    // for blocks of listeners, the same playlists as servePlain's one listener at a time).
    const picks = experiment
      ? null
      : await pickForListeners(
          state,
          batch.map((u) => histories.get(u.id)!),
          weights,
          constraints,
          {
            exploration: batch.map((u) => explorationRandom(u.id, weekOf.get(u.id)!, blend.version)),
            timings,
          },
        );
    const playlists = batch.map((u, j) => {
      const week = weekOf.get(u.id)!;
      const history = histories.get(u.id)!;
      if (experiment) return { userId: u.id, week, ...serveExperiment(state, history, experiment, week) };
      const pick = picks![j];
      return {
        userId: u.id,
        week,
        exposure: null,
        ...pick,
        blendId: blend.id,
        items: pick.items.map((item) => ({ ...item, blendVersion: blend.version, arm: null })),
      };
    });
    // An experiment's playlists are made one listener at a time (serve.ts): counted as scoring.
    if (experiment) timings.scoring += lap();
    lap();
    const idOf = await db.transaction((query, copyRows) => writeWeeklyPlaylists(query, playlists, state.versions, copyRows));
    for (const p of playlists) {
      if (!idOf.has(p.userId)) continue;
      report.made++;
      if (p.status === "SHORT") report.short++;
      if (p.status === "COLD_START") report.coldStart++;
    }
    timings.writes += lap();
    onProgress("generating playlists", Math.min(i + batchSize, due.length), due.length);
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

/** The columns of `playlist_items` a weekly playlist writes, in the order of each row's COPY text. */
const ITEM_COLUMNS = ["playlist_id", "position", "track_id", "score", "scores", "reason", "blend_version", "rank", "explored", "propensity", "arm"];

/** A playlist ready to be written: its listener and week, and what was served. */
export interface PlaylistToWrite extends ServedPlaylist {
  userId: number;
  /** The listener's week, YYYY-MM-DD (its Monday). */
  week: string;
}

/**
 * Writes a batch of weekly playlists with their items, snapshots and experiment log, inside the
 * caller's transaction, and returns each inserted playlist's id by listener. A listener whose
 * playlist for the week exists already, or who was deleted meanwhile, gets none. The items go by
 * the transaction's `copyRows` (COPY: about a fifth less CPU a listener than an INSERT of one JSON
 * text; docs/benchmarks.md, "A first week's playlists").
 */
export async function writeWeeklyPlaylists(
  query: Database["query"],
  playlists: readonly PlaylistToWrite[],
  modelVersions: Record<string, number>,
  copyRows: CopyRows,
): Promise<Map<number, number>> {
  if (playlists.length === 0) return new Map();
  // Locks first, in this order:
  // 1. The listeners, FOR KEY SHARE: a listener deleted since the run listed them gets no
  //    playlist (docs/privacy.md): a deletion waits for this commit, or it has committed and
  //    EXISTS no longer sees them.
  // 2. The items' tracks, FOR KEY SHARE, which the items' foreign key checks take anyway.
  // 3. The snapshot lock, shared, held until commit (migration
  //    20261208000000_playlist_snapshot_rename_lock). A rename, or a duration filled in, rewrites
  //    the snapshots that hold its track when it commits, holding this lock exclusive. So a
  //    rename that commits after the tracks are read below waits for this commit, then rewrites
  //    these playlists too; one that is committing now makes this wait, and the read then sees
  //    its new title.
  // The row locks come before the snapshot lock so that nothing waits for a row while holding
  // it. A renaming transaction may also hold a track's row (a new external key, an import's
  // upsert of a known track) or a listener's (a deletion), and at its commit it waits for this
  // lock: had we taken the lock first and then waited for its row, neither could go on, and
  // PostgreSQL would fail one of the two after a second (test/db/snapshot-rename-race.test.ts).
  // Waiting for the lock while holding row locks closes no cycle: its exclusive holder only
  // rewrites snapshots, and waits at most for a listener deletion that holds a playlist's row,
  // which took the listener's row before any playlist's and so waits for no generation.
  await query(`SELECT id FROM users WHERE id = ANY($1::int[]) FOR KEY SHARE`, [playlists.map((p) => p.userId)]);
  await query(`SELECT count(*) FROM (SELECT 1 FROM tracks WHERE id = ANY($1::int[]) FOR KEY SHARE) t`, [
    [...new Set(playlists.flatMap((p) => p.items.map((item) => item.trackId)))],
  ]);
  await query(`SELECT lock_playlist_snapshots_shared()`);
  // Each playlist is inserted with its items snapshot (what the API's weekly playlist query
  // reads), built here from the items in hand and one read of their tracks and artists, under
  // an id allocated beforehand, instead of inserting it and then building the snapshot in SQL
  // with an UPDATE (write_playlist_snapshots): about 0.4 ms of server CPU per playlist instead
  // of 1.0 (docs/benchmarks.md). A playlist that conflicts leaves its id unused.
  const ids = (
    await query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('weekly_playlists', 'id'))::int AS id FROM generate_series(1, $1::int)`, [
      playlists.length,
    ])
  )
    .map((r) => r.id)
    .sort((a, b) => a - b);
  const snapshots = await itemsSnapshots(
    query,
    playlists.map((p, j) => ({ id: ids[j], items: p.items })),
  );
  const versions = JSON.stringify(modelVersions);
  const inserted = await query<{ id: number; user_id: number }>(
    `INSERT INTO weekly_playlists (id, user_id, week_start, status, blend_config_id, model_versions, items_snapshot)
     SELECT * FROM unnest($1::int[], $2::int[], $3::date[], $4::text[]::"PlaylistStatus"[], $5::int[], $6::jsonb[],
                          ARRAY(SELECT s::json FROM string_to_table($7::text, E'\\n') WITH ORDINALITY AS x(s, n) ORDER BY n))
       AS p(id, user_id, week_start, status, blend_config_id, model_versions, items_snapshot)
     WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id)
     ON CONFLICT (user_id, week_start) DO NOTHING
     RETURNING id, user_id`,
    [
      ids,
      playlists.map((p) => p.userId),
      playlists.map((p) => p.week),
      playlists.map((p) => p.status),
      playlists.map((p) => p.blendId),
      playlists.map(() => versions),
      // The snapshots as one text, one a line (JSON.stringify writes no line break): as a json[]
      // parameter the driver escapes every element (about 1 ms of client CPU per playlist), this
      // text it sends as it is, and the server parses each snapshot once, casting it to json (a
      // json parameter holding them all was parsed twice: checked whole, then split).
      snapshots.join("\n"),
    ],
  );
  const idOf = new Map(inserted.map((r) => [r.user_id, r.id]));
  const items = playlists
    .filter((p) => idOf.has(p.userId))
    .flatMap((p) => p.items.map((item, position) => ({ playlistId: idOf.get(p.userId)!, position, ...item })));
  if (items.length)
    await copyRows(
      "playlist_items",
      ITEM_COLUMNS,
      items
        .map(
          (x) =>
            `${x.playlistId}\t${x.position}\t${x.trackId}\t${copyNumber(x.score)}\t${copyText(JSON.stringify(x.scores))}\t${copyText(x.reason)}\t` +
            `${copyNumber(x.blendVersion)}\t${copyNumber(x.rank)}\t${x.explored}\t${copyNumber(x.propensity)}\t${x.arm ?? "\\N"}\n`,
        )
        .join(""),
    );
  // The experiment log (deleted with the listener: docs/privacy.md).
  const exposed = playlists.filter((p) => p.exposure && idOf.has(p.userId));
  if (exposed.length) {
    await query(
      `INSERT INTO experiment_exposures (experiment_id, user_id, week_start, playlist_id, arm)
       SELECT * FROM unnest($1::int[], $2::int[], $3::date[], $4::int[], $5::text[]::"ExperimentArm"[]) ON CONFLICT DO NOTHING`,
      [
        exposed.map((p) => p.exposure!.experimentId),
        exposed.map((p) => p.userId),
        exposed.map((p) => p.week),
        exposed.map((p) => idOf.get(p.userId)!),
        exposed.map((p) => p.exposure!.arm),
      ],
    );
  }
  return idOf;
}

/** Listeners (all, some ids, or an id range), the week each is in at `now`, and the playlists already made. */
async function listenersAndWeeks(query: Database["query"], now: Date, options: Pick<GenerateOptions, "userIds" | "idRange">) {
  const where = options.userIds ? `WHERE id = ANY($1::int[])` : options.idRange ? `WHERE id BETWEEN $1 AND $2` : ``;
  const params = options.userIds ? [options.userIds] : options.idRange ? [options.idRange.from, options.idRange.to] : [];
  const users = await query<{ id: number; time_zone: string }>(`SELECT id, time_zone FROM users ${where} ORDER BY id`, params);
  const weekOf = new Map(users.map((u) => [u.id, weekStartFor(now, u.time_zone)]));
  const weeks = [...new Set(weekOf.values())];
  const existing = await query<{ user_id: number; week: string }>(
    `SELECT user_id, to_char(week_start, 'YYYY-MM-DD') AS week FROM weekly_playlists WHERE week_start = ANY($1::date[])
     ${options.idRange ? `AND user_id BETWEEN $2 AND $3` : ``}`,
    options.idRange ? [weeks, options.idRange.from, options.idRange.to] : [weeks],
  );
  const made = new Set(existing.map((e) => `${e.user_id}:${e.week}`));
  return { users, weekOf, made };
}

/** Ids of the listeners whose playlist for the week containing `now` (in their time zone) is not made yet, ascending. */
export async function dueListenerIds(db: Database, now: Date, idRange?: { from: number; to: number }): Promise<number[]> {
  return dueIn(db.query, now, idRange);
}

/** `dueListenerIds` through a given query function (inside a transaction). */
export async function dueIn(query: Database["query"], now: Date, idRange?: { from: number; to: number }): Promise<number[]> {
  const { users, weekOf, made } = await listenersAndWeeks(query, now, { idRange });
  return users.filter((u) => !made.has(`${u.id}:${weekOf.get(u.id)}`)).map((u) => u.id);
}
