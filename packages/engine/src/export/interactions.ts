import { writeFile } from "node:fs/promises";
import type { Database } from "@deepcuts/db";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { Progress } from "../progress.ts";
import { POSITIVE_WEIGHTS, sqlPositiveTrack } from "../events/kinds.ts";

export const INTERACTION_FORMATS = ["parquet"] as const;
export type InteractionFormat = (typeof INTERACTION_FORMATS)[number];

/**
 * The columns of `deepcuts export interactions`, in file order: what a Spark MLlib ALS job reads
 * (`userCol="user", itemCol="item", ratingCol="rating", implicitPrefs=True`) and the keys that
 * lead back to the listener and the track outside this database.
 */
export const INTERACTION_COLUMNS = {
  user: "INT32: the listener's database id (users.id); Spark's userCol, and the id of userFactors",
  item: "INT32: the track's database id (tracks.id), or the artist's for artist-level data; Spark's itemCol, and the id of itemFactors",
  rating: "FLOAT: interaction strength as Deepcuts' own ALS trains on it: streams + 5 x saves + 0.5 x artist-page visits",
  streams: "INT32: streams of the track by the listener",
  saves: "INT32: times the listener saved the track",
  visits: "INT32: the listener's visits to the track's artist page",
  user_key: "STRING: the listener's external key (users.external_key)",
  item_key: "STRING: the track's (or artist's) external key",
} as const;

export interface InteractionExportResult {
  file: string;
  rows: number;
  listeners: number;
  items: number;
  level: "track" | "artist";
}

interface InteractionRow {
  user_id: number;
  item_id: number;
  streams: number;
  saves: number;
  visits: number;
  user_key: string;
  item_key: string;
}

/**
 * Writes one row per listener x track with any positive signal (the pairs Deepcuts' ALS trains
 * on, `training/interactions.ts`), ordered by listener then track. Without track-level data
 * (Last.fm 2K) the rows are listener x artist with the play count as streams, as training does.
 */
export async function exportInteractions(
  db: Database,
  input: { out: string; format?: InteractionFormat; onProgress?: Progress },
): Promise<InteractionExportResult> {
  const onProgress = input.onProgress ?? (() => {});
  if ((input.format ?? "parquet") !== "parquet") throw new RangeError(`format must be parquet, got '${input.format}'`);
  onProgress("reading interactions", 0, 2);
  const [{ tracks }] = await db.query<{ tracks: boolean }>(`SELECT EXISTS (SELECT 1 FROM tracks) AS tracks`);
  const rows = tracks
    ? await db.query<InteractionRow>(
        `SELECT s.user_id, s.track_id AS item_id, s.streams, s.saves, coalesce(a.visits, 0) AS visits, u.external_key AS user_key, t.external_key AS item_key
         FROM user_track_stats s
         JOIN users u ON u.id = s.user_id
         JOIN tracks t ON t.id = s.track_id
         LEFT JOIN user_artist_stats a ON a.user_id = s.user_id AND a.artist_id = t.artist_id
         WHERE ${sqlPositiveTrack("s")}
         ORDER BY s.user_id, s.track_id`,
      )
    : await db.query<InteractionRow>(
        `SELECT s.user_id, s.artist_id AS item_id, s.plays AS streams, 0 AS saves, 0 AS visits, u.external_key AS user_key, a.external_key AS item_key
         FROM user_artist_stats s JOIN users u ON u.id = s.user_id JOIN artists a ON a.id = s.artist_id
         WHERE s.plays > 0
         ORDER BY s.user_id, s.artist_id`,
      );
  if (rows.length === 0) throw new RangeError("no listening data to export: import or generate some first (deepcuts import, deepcuts demo)");
  onProgress(`writing ${rows.length} rows`, 1, 2);
  const w = POSITIVE_WEIGHTS;
  const int = (pick: (r: InteractionRow) => number) => Int32Array.from(rows, (r) => Number(pick(r)));
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "user", data: int((r) => r.user_id), type: "INT32", nullable: false },
      { name: "item", data: int((r) => r.item_id), type: "INT32", nullable: false },
      {
        name: "rating",
        data: Float32Array.from(rows, (r) => w.streams * Number(r.streams) + w.saves * Number(r.saves) + w.visits * Number(r.visits)),
        type: "FLOAT",
        nullable: false,
      },
      { name: "streams", data: int((r) => r.streams), type: "INT32", nullable: false },
      { name: "saves", data: int((r) => r.saves), type: "INT32", nullable: false },
      { name: "visits", data: int((r) => r.visits), type: "INT32", nullable: false },
      { name: "user_key", data: rows.map((r) => r.user_key), type: "STRING", nullable: false },
      { name: "item_key", data: rows.map((r) => r.item_key), type: "STRING", nullable: false },
    ],
    kvMetadata: [
      { key: "deepcuts.level", value: tracks ? "track" : "artist" },
      { key: "deepcuts.rating", value: INTERACTION_COLUMNS.rating },
    ],
    createdBy: "deepcuts",
  });
  await writeFile(input.out, new Uint8Array(buffer));
  onProgress("done", 2, 2);
  const distinct = (pick: (r: InteractionRow) => number) => new Set(rows.map(pick)).size;
  return { file: input.out, rows: rows.length, listeners: distinct((r) => r.user_id), items: distinct((r) => r.item_id), level: tracks ? "track" : "artist" };
}
