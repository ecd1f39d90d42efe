import type { Database } from "@deepcuts/db";
import { bytesToFloat32 } from "@deepcuts/db";
import { cataloguePage, searchCondition } from "./catalogue-search.ts";
import { TRACK_COLUMNS, type TrackRow } from "./catalogue.ts";
import type { PageRequest } from "./paging.ts";

export interface AudioFeaturesRecord {
  trackId: number;
  status: string;
  tempo: number | null;
  key: string | null;
  mode: string | null;
  loudness: number | null;
  danceability: number | null;
  energy: number | null;
  dynamicComplexity: number | null;
  onsetRate: number | null;
}

export interface TopTermRecord {
  entityId: number;
  termKind: string;
  term: string;
  weight: number;
  inherited: boolean;
}
export interface StoredVectorRecord {
  entityId: number;
  modelVersionId: number;
  modelKind: string;
  values: number[];
  inherited: boolean;
}

export interface ArtistRecord {
  id: number;
  externalKey: string;
  name: string;
  genre: string | null;
}

/** Artists in id order after a cursor, by name search (index-served, in bounded chunks: see catalogue-search.ts) and genre. */
export async function listArtists(db: Database, input: PageRequest & { search?: string | null; genre?: string | null }) {
  const search = input.search?.trim();
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (input.genre) conditions.push(`a.genre = $${params.push(input.genre)}`);
  const columns = `SELECT a.id, a.external_key AS "externalKey", a.name, a.genre FROM artists a`;
  if (search) {
    const match = searchCondition(["a.name"], search, params.length + 1);
    params.push(...match.params);
    conditions.push(match.sql);
  }
  return cataloguePage<ArtistRecord>(db.query, { table: "artists", alias: "a", columns, conditions, params, searched: !!search }, input);
}

/** Essentia features of many tracks (DataLoader batch). */
export async function audioFeaturesOf(db: Database, trackIds: readonly number[]): Promise<(AudioFeaturesRecord | null)[]> {
  const rows = await db.query<AudioFeaturesRecord>(
    `SELECT track_id AS "trackId", status::text AS status, tempo, key, mode, loudness, danceability, energy,
            dynamic_complexity AS "dynamicComplexity", onset_rate AS "onsetRate"
     FROM audio_analyses WHERE track_id = ANY($1::int[])`,
    [[...trackIds]],
  );
  const by = new Map(rows.map((r) => [r.trackId, r]));
  return trackIds.map((id) => by.get(id) ?? null);
}

/**
 * Top terms of many entities under the active TEXT version, heaviest first (DataLoader batch).
 * A track without text of its own shows its artist's terms, marked inherited, as its vector is.
 */
export async function topTermsOf(db: Database, entity: "ARTIST" | "TRACK", ids: readonly number[]): Promise<TopTermRecord[][]> {
  const rows = await db.query<TopTermRecord>(
    entity === "ARTIST"
      ? `SELECT t.entity_id AS "entityId", t.term_kind::text AS "termKind", t.term, t.weight, false AS inherited
         FROM top_terms t JOIN model_versions m ON m.id = t.model_version_id AND m.is_active AND m.kind = 'TEXT'
         WHERE t.entity_kind = 'ARTIST' AND t.entity_id = ANY($1::int[])
         ORDER BY t.entity_id, t.weight DESC, t.term`
      : `WITH own AS (
           SELECT t.entity_id AS track_id, t.term_kind, t.term, t.weight, false AS inherited
           FROM top_terms t JOIN model_versions m ON m.id = t.model_version_id AND m.is_active AND m.kind = 'TEXT'
           WHERE t.entity_kind = 'TRACK' AND t.entity_id = ANY($1::int[])),
         inherited AS (
           SELECT tr.id AS track_id, t.term_kind, t.term, t.weight, true AS inherited
           FROM tracks tr
           JOIN top_terms t ON t.entity_kind = 'ARTIST' AND t.entity_id = tr.artist_id
           JOIN model_versions m ON m.id = t.model_version_id AND m.is_active AND m.kind = 'TEXT'
           WHERE tr.id = ANY($1::int[]) AND tr.id NOT IN (SELECT track_id FROM own))
         SELECT track_id AS "entityId", term_kind::text AS "termKind", term, weight, inherited
         FROM (SELECT * FROM own UNION ALL SELECT * FROM inherited) x
         ORDER BY track_id, weight DESC, term`,
    [[...ids]],
  );
  const by = new Map<number, TopTermRecord[]>(ids.map((id) => [id, []]));
  for (const r of rows) by.get(r.entityId)?.push(r);
  return ids.map((id) => by.get(id)!);
}

/** Stored vectors of many entities under every active model version (DataLoader batch). */
export async function storedVectorsOf(db: Database, entity: "USER" | "ARTIST" | "TRACK", ids: readonly number[]): Promise<StoredVectorRecord[][]> {
  const rows = await db.query<{ entityId: number; modelVersionId: number; modelKind: string; data: Uint8Array; inherited: boolean }>(
    `SELECT v.entity_id AS "entityId", v.model_version_id AS "modelVersionId", m.kind::text AS "modelKind", v.data, v.inherited
     FROM vectors v JOIN model_versions m ON m.id = v.model_version_id AND m.is_active
     WHERE v.entity_kind = $1::text::"EntityKind" AND v.entity_id = ANY($2::int[])
     ORDER BY v.entity_id, m.kind`,
    [entity, [...ids]],
  );
  const by = new Map<number, StoredVectorRecord[]>(ids.map((id) => [id, []]));
  for (const r of rows) {
    by.get(r.entityId)?.push({
      entityId: r.entityId,
      modelVersionId: r.modelVersionId,
      modelKind: r.modelKind,
      inherited: r.inherited,
      values: Array.from(bytesToFloat32(r.data)),
    });
  }
  return ids.map((id) => by.get(id)!);
}

/** Rows of many tracks (DataLoader batch). */
export async function tracksById(db: Database, ids: readonly number[]) {
  const rows = await db.query<TrackRow>(`${TRACK_COLUMNS} WHERE t.id = ANY($1::int[])`, [[...ids]]);
  const by = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => by.get(id) ?? null);
}

/** Rows of many listeners (DataLoader batch). */
export async function usersById(db: Database, ids: readonly number[]) {
  const rows = await db.query<{ id: number; externalKey: string; name: string; timeZone: string }>(
    `SELECT id, external_key AS "externalKey", name, time_zone AS "timeZone" FROM users WHERE id = ANY($1::int[])`,
    [[...ids]],
  );
  const by = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => by.get(id) ?? null);
}
