import type { Database } from "@deepcuts/db";
import type { EntityKindName } from "./models.ts";

/** Display names of entities in one query: "Artist - Title" for tracks. */
export async function entityLabels(db: Database, entity: EntityKindName, ids: number[]): Promise<Map<number, string>> {
  const sql = {
    TRACK: `SELECT t.id, a.name || ' - ' || t.title AS label FROM tracks t JOIN artists a ON a.id = t.artist_id WHERE t.id = ANY($1::int[])`,
    ARTIST: `SELECT id, name AS label FROM artists WHERE id = ANY($1::int[])`,
    USER: `SELECT id, name AS label FROM users WHERE id = ANY($1::int[])`,
  }[entity];
  const rows = await db.query<{ id: number; label: string }>(sql, [ids]);
  return new Map(rows.map((r) => [r.id, r.label]));
}

/** Genre of each artist or track (null for listeners), for export metadata. */
export async function entityGenres(db: Database, entity: EntityKindName, ids: number[]): Promise<Map<number, string | null>> {
  if (entity === "USER") return new Map();
  const table = entity === "TRACK" ? "tracks" : "artists";
  const rows = await db.query<{ id: number; genre: string | null }>(`SELECT id, genre FROM ${table} WHERE id = ANY($1::int[])`, [ids]);
  return new Map(rows.map((r) => [r.id, r.genre]));
}
