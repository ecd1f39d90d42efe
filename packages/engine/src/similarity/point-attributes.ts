import type { Database } from "@deepcuts/db";
import type { EntityKindName } from "./models.ts";

/** What the dashboard colours a projected point by, besides its genre. */
export interface PointAttributes {
  /** Beats per minute from audio_analyses; null when not analysed (tracks only). */
  tempo: number | null;
  key: string | null;
  mode: string | null;
  /** No listens: a track nobody has streamed, an artist nobody has played, a listener who has streamed nothing. */
  coldStart: boolean;
  /** The heaviest top term under the active TEXT model; a track without terms of its own takes its artist's. */
  topTag: string | null;
}

// Heaviest term per entity under the active TEXT version (ties by term, so the answer is stable).
const HEAVIEST_TERM = (kind: "TRACK" | "ARTIST", ids: string) => `
  SELECT DISTINCT ON (t.entity_id) t.entity_id, t.term
  FROM top_terms t JOIN model_versions m ON m.id = t.model_version_id AND m.is_active AND m.kind = 'TEXT'
  WHERE t.entity_kind = '${kind}' AND t.entity_id IN (${ids})
  ORDER BY t.entity_id, t.weight DESC, t.term`;

const SQL: Record<EntityKindName, string> = {
  TRACK: `WITH own AS (${HEAVIEST_TERM("TRACK", "SELECT unnest($1::int[])")}),
               inherited AS (${HEAVIEST_TERM("ARTIST", "SELECT artist_id FROM tracks WHERE id = ANY($1::int[])")})
          SELECT tr.id, an.tempo, an.key, an.mode, coalesce(own.term, inherited.term) AS "topTag",
                 NOT EXISTS (SELECT 1 FROM user_track_stats s WHERE s.track_id = tr.id AND s.streams > 0) AS "coldStart"
          FROM tracks tr
          LEFT JOIN audio_analyses an ON an.track_id = tr.id
          LEFT JOIN own ON own.entity_id = tr.id
          LEFT JOIN inherited ON inherited.entity_id = tr.artist_id
          WHERE tr.id = ANY($1::int[])`,
  ARTIST: `WITH own AS (${HEAVIEST_TERM("ARTIST", "SELECT unnest($1::int[])")})
           SELECT a.id, NULL::float8 AS tempo, NULL::text AS key, NULL::text AS mode, own.term AS "topTag",
                  NOT EXISTS (SELECT 1 FROM user_artist_stats s WHERE s.artist_id = a.id AND s.plays > 0) AS "coldStart"
           FROM artists a LEFT JOIN own ON own.entity_id = a.id
           WHERE a.id = ANY($1::int[])`,
  USER: `SELECT u.id, NULL::float8 AS tempo, NULL::text AS key, NULL::text AS mode, NULL::text AS "topTag",
                NOT EXISTS (SELECT 1 FROM user_track_stats s WHERE s.user_id = u.id AND s.streams > 0) AS "coldStart"
         FROM users u WHERE u.id = ANY($1::int[])`,
};

/** Tempo, key, mode, cold-start status and top tag of many entities in one query. */
export async function pointAttributes(db: Database, entity: EntityKindName, ids: number[]): Promise<Map<number, PointAttributes>> {
  const rows = await db.query<PointAttributes & { id: number }>(SQL[entity], [ids]);
  return new Map(rows.map(({ id, ...attributes }) => [id, attributes]));
}
