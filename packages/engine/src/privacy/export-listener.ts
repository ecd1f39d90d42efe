import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { Database } from "@deepcuts/db";
import { invalid, missing } from "../service-error.ts";
import { countListenerRows, listenerCatalogue, quoteIdent } from "./catalogue.ts";

/**
 * A listener's archive: everything stored about them, as one JSON document written piece by
 * piece, so a history of millions of events streams in pages of EVENT_PAGE rows and never sits
 * in memory whole. Rows appear as stored (column names as in the database), with track and
 * artist names added where a row names them. Sections:
 *   format, version, exportedAt, listener, apiKeys (metadata, never the hash), seedArtists,
 *   tasteProfile { topArtists, topTerms }, notForMe { tracks, artists }, trackStats, artistStats,
 *   playlists (with items and their reasons), vectors (per model version), experiments (the
 *   experiment log: which experiment shaped which week's playlist, and the arm), otherRecords (rows of
 *   any other table that refers to the listener, found in the catalogue), counts, events (last).
 * `counts` gives, per table, how many of the listener's rows the database holds: the rows of
 * the archive's sections add up to them.
 */
export const ARCHIVE_FORMAT = "deepcuts-listener-archive";
export const ARCHIVE_VERSION = 1;
const EVENT_PAGE = 5_000;
const TOP_ARTISTS = 50;
const TOP_TERMS = 30;
/** Tables the named sections cover; rows of any other referring table go to otherRecords. */
const SECTIONED = new Set([
  "users",
  "api_keys",
  "user_seed_artists",
  "user_track_stats",
  "user_artist_stats",
  "weekly_playlists",
  "playlist_items",
  "listening_events",
  "vectors",
  "experiment_exposures",
]);
/** Columns a generic dump never shows (secrets of tables added later). */
const SECRET_COLUMN = /(hash|secret|token|password)/i;

export interface ArchiveProgress {
  (message: string, done: number, total: number): void;
}

type Query = Database["query"];

const json = (value: unknown) => JSON.stringify(value);

async function section(query: Query, sql: string, userId: number): Promise<unknown[]> {
  return (await query<{ row: unknown }>(sql, [userId])).map((r) => r.row);
}

/** The archive as JSON text chunks, in order. */
export async function* listenerArchive(
  db: Database,
  userId: number,
  onProgress: ArchiveProgress = () => {},
  options: { eventPage?: number } = {},
): AsyncGenerator<string> {
  const query = db.query;
  const eventPage = options.eventPage ?? EVENT_PAGE;
  const [listener] = await section(query, `SELECT to_jsonb(u) AS row FROM users u WHERE id = $1`, userId);
  if (!listener) throw missing(`listener ${userId}`);
  const catalogue = await listenerCatalogue(query);
  const counts = await countListenerRows(query, userId, catalogue);
  const totalEvents = counts.listening_events ?? 0;
  onProgress("profile and playlists", 0, totalEvents);

  yield `{"format":${json(ARCHIVE_FORMAT)},"version":${ARCHIVE_VERSION},"exportedAt":${json(new Date().toISOString())},"listener":${json(listener)}`;
  yield `,"apiKeys":${json(await section(query, `SELECT jsonb_build_object('id', id, 'name', name, 'prefix', prefix, 'role', role, 'created_at', created_at, 'last_used_at', last_used_at, 'revoked_at', revoked_at) AS row FROM api_keys WHERE user_id = $1 ORDER BY id`, userId))}`;
  yield `,"seedArtists":${json(await section(query, `SELECT to_jsonb(s) || jsonb_build_object('artist_name', a.name) AS row FROM user_seed_artists s JOIN artists a ON a.id = s.artist_id WHERE s.user_id = $1 ORDER BY s.artist_id`, userId))}`;

  const topArtists = await section(
    query,
    `SELECT jsonb_build_object('artist_id', s.artist_id, 'artist_name', a.name, 'plays', s.plays, 'share', s.plays / sum(s.plays) OVER ()::float8) AS row
     FROM user_artist_stats s JOIN artists a ON a.id = s.artist_id WHERE s.user_id = $1 AND s.plays > 0
     ORDER BY s.plays DESC, s.artist_id LIMIT ${TOP_ARTISTS}`,
    userId,
  );
  // The listener's terms: the active text model's artist terms, weighted by each artist's share of plays.
  const topTerms = await section(
    query,
    `WITH shares AS (
       SELECT artist_id, plays / sum(plays) OVER ()::float8 AS share FROM user_artist_stats WHERE user_id = $1 AND plays > 0),
     text_version AS (SELECT id FROM model_versions WHERE kind = 'TEXT' AND is_active AND status = 'READY' ORDER BY id DESC LIMIT 1)
     SELECT jsonb_build_object('term', t.term, 'term_kind', t.term_kind, 'weight', sum(t.weight * s.share)) AS row
     FROM top_terms t JOIN shares s ON t.entity_kind = 'ARTIST' AND t.entity_id = s.artist_id
     WHERE t.model_version_id = (SELECT id FROM text_version)
     GROUP BY t.term, t.term_kind ORDER BY sum(t.weight * s.share) DESC, t.term LIMIT ${TOP_TERMS}`,
    userId,
  );
  yield `,"tasteProfile":${json({ topArtists, topTerms })}`;

  const hiddenTracks = await section(
    query,
    `SELECT jsonb_build_object('track_id', s.track_id, 'track_title', t.title, 'artist_name', a.name, 'dislikes', s.dislikes, 'last_at', s.last_at) AS row
     FROM user_track_stats s JOIN tracks t ON t.id = s.track_id JOIN artists a ON a.id = t.artist_id WHERE s.user_id = $1 AND s.dislikes > 0 ORDER BY s.track_id`,
    userId,
  );
  const hiddenArtists = await section(
    query,
    `SELECT jsonb_build_object('artist_id', s.artist_id, 'artist_name', a.name, 'dislikes', s.dislikes, 'last_at', s.last_at) AS row
     FROM user_artist_stats s JOIN artists a ON a.id = s.artist_id WHERE s.user_id = $1 AND s.dislikes > 0 ORDER BY s.artist_id`,
    userId,
  );
  yield `,"notForMe":${json({ tracks: hiddenTracks, artists: hiddenArtists })}`;

  yield `,"trackStats":${json(await section(query, `SELECT to_jsonb(s) || jsonb_build_object('track_title', t.title) AS row FROM user_track_stats s JOIN tracks t ON t.id = s.track_id WHERE s.user_id = $1 ORDER BY s.track_id`, userId))}`;
  yield `,"artistStats":${json(await section(query, `SELECT to_jsonb(s) || jsonb_build_object('artist_name', a.name) AS row FROM user_artist_stats s JOIN artists a ON a.id = s.artist_id WHERE s.user_id = $1 ORDER BY s.artist_id`, userId))}`;

  yield `,"playlists":[`;
  const playlists = await query<{ id: number; row: Record<string, unknown> }>(
    `SELECT p.id, to_jsonb(p) || jsonb_build_object('blend_version', b.version) AS row
     FROM weekly_playlists p LEFT JOIN blend_configs b ON b.id = p.blend_config_id WHERE p.user_id = $1 ORDER BY p.week_start, p.id`,
    [userId],
  );
  for (const [i, p] of playlists.entries()) {
    const items = await section(
      query,
      `SELECT to_jsonb(i) || jsonb_build_object('track_title', t.title, 'artist_name', a.name) AS row
       FROM playlist_items i JOIN tracks t ON t.id = i.track_id JOIN artists a ON a.id = t.artist_id WHERE i.playlist_id = $1 ORDER BY i.position`,
      p.id,
    );
    yield `${i ? "," : ""}${json({ ...p.row, items })}`;
  }
  yield `]`;

  const vectors = await query<{ model_version_id: number; kind: string; data: Uint8Array }>(
    `SELECT v.model_version_id, m.kind::text AS kind, v.data FROM vectors v JOIN model_versions m ON m.id = v.model_version_id
     WHERE v.entity_kind = 'USER' AND v.entity_id = $1 ORDER BY v.model_version_id`,
    [userId],
  );
  yield `,"vectors":${json(
    vectors.map((v) => {
      const bytes = new Uint8Array(v.data);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return {
        model_version_id: v.model_version_id,
        model_kind: v.kind,
        values: Array.from({ length: bytes.byteLength / 4 }, (_, j) => view.getFloat32(j * 4, true)),
      };
    }),
  )}`;

  yield `,"experiments":${json(
    await section(
      query,
      `SELECT to_jsonb(x) || jsonb_build_object('experiment_name', e.name, 'design', e.design) AS row
     FROM experiment_exposures x JOIN experiments e ON e.id = x.experiment_id WHERE x.user_id = $1 ORDER BY x.week_start, x.experiment_id`,
      userId,
    ),
  )}`;

  // Tables that refer to the listener and have no section above (added after this file was written).
  const other: Record<string, unknown[]> = {};
  const byTable = new Map<string, string[]>();
  for (const r of catalogue.rows) if (!SECTIONED.has(r.table)) byTable.set(r.table, [...(byTable.get(r.table) ?? []), `(${r.where})`]);
  for (const [table, wheres] of byTable) {
    const rows = await query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(x) AS row FROM ${quoteIdent(table)} x WHERE ${wheres.join(" OR ")}`, [userId]);
    if (rows.length) other[table] = rows.map((r) => Object.fromEntries(Object.entries(r.row).filter(([k]) => !SECRET_COLUMN.test(k))));
  }
  yield `,"otherRecords":${json(other)},"counts":${json(counts)},"events":[`;

  let afterId = "0";
  let written = 0;
  for (;;) {
    const page = await query<{ id: string; row: unknown }>(
      `SELECT e.id::text AS id, (to_jsonb(e) - 'user_id') || jsonb_build_object('track_title', t.title, 'artist_name', coalesce(a.name, ta.name)) AS row
       FROM listening_events e LEFT JOIN tracks t ON t.id = e.track_id LEFT JOIN artists ta ON ta.id = t.artist_id LEFT JOIN artists a ON a.id = e.artist_id
       WHERE e.user_id = $1 AND e.id > $2::bigint ORDER BY e.id LIMIT ${eventPage}`,
      [userId, afterId],
    );
    if (page.length === 0) break;
    yield (written ? "," : "") + page.map((r) => json(r.row)).join(",");
    written += page.length;
    afterId = page[page.length - 1].id;
    onProgress("events", written, totalEvents);
    if (page.length < eventPage) break;
  }
  yield `]}\n`;
}

/** Writes the archive to a stream (stdout) or a file, respecting back-pressure; returns the bytes written. */
export async function writeListenerArchive(
  db: Database,
  userId: number,
  out: Writable | string,
  onProgress?: ArchiveProgress,
  options: { eventPage?: number } = {},
): Promise<{ bytes: number }> {
  const stream = typeof out === "string" ? createWriteStream(out) : out;
  let bytes = 0;
  try {
    for await (const chunk of listenerArchive(db, userId, onProgress, options)) {
      bytes += Buffer.byteLength(chunk);
      if (!stream.write(chunk)) await once(stream, "drain");
    }
  } finally {
    if (typeof out === "string") {
      stream.end();
      await once(stream, "close");
    }
  }
  return { bytes };
}

/** The whole archive as one string, refused above `maxEvents` events (the API's answer; the CLI streams). */
export async function listenerArchiveText(db: Database, userId: number, maxEvents: number): Promise<string> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listening_events WHERE user_id = $1`, [userId]);
  if (row && row.n > maxEvents) {
    throw invalid(
      "userId",
      `listener ${userId} has ${row.n} events, more than the ${maxEvents} an API answer carries: use 'deepcuts export listener --user ${userId} --out <file>', which streams`,
    );
  }
  const parts: string[] = [];
  for await (const chunk of listenerArchive(db, userId)) parts.push(chunk);
  return parts.join("");
}
