import { readLastfm2k } from "@deepcuts/models/datasets";
import type { Database } from "@deepcuts/db";
import { insertArtistPlays, insertDocuments, upsertArtists, upsertUsers } from "../ingest.ts";
import type { ImportReport } from "./import-error.ts";

import type { Progress } from "../progress.ts";

/**
 * Imports a HetRec Last.fm 2K folder: users, artists, artist-level play counts, and each
 * user tag as a very short text document about its artist. The files are parsed and checked
 * completely before anything is written; the writes happen in one transaction.
 */
export async function importLastfm(db: Database, folder: string, onProgress: Progress = () => {}): Promise<ImportReport> {
  const started = Date.now();
  onProgress("reading files", 0, 4);
  const data = await readLastfm2k(folder);
  const artistIds = new Set(data.artists.map((a) => a.id));
  const unknownPlay = data.plays.find((p) => !artistIds.has(p.artistId));
  if (unknownPlay) {
    throw new Error(`user_artists.dat: artist ${unknownPlay.artistId} (user ${unknownPlay.userId}) is not in artists.dat`);
  }
  const userKeys = [...new Set(data.plays.map((p) => p.userId))];
  const taggings = data.taggings.filter((t) => artistIds.has(t.artistId) && data.tags.has(t.tagId));
  const skippedTaggings = data.taggings.length - taggings.length;

  const created = await db.transaction(async (query) => {
    const before = await query<{ users: number; artists: number }>(
      `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM artists)::int AS artists`,
    );
    onProgress("users and artists", 1, 4);
    const users = await upsertUsers(
      query,
      userKeys.map((id) => ({ externalKey: `lastfm:user:${id}`, name: `Last.fm listener ${id}` })),
    );
    const artists = await upsertArtists(
      query,
      data.artists.map((a) => ({ externalKey: `lastfm:artist:${a.id}`, name: a.name, url: a.url || null })),
    );
    onProgress("play counts", 2, 4);
    const plays = await insertArtistPlays(
      query,
      data.plays.map((p) => ({ userId: users.get(`lastfm:user:${p.userId}`)!, artistId: artists.get(`lastfm:artist:${p.artistId}`)!, plays: p.weight })),
      new Date("2011-05-01T00:00:00Z"),
    );
    onProgress("tags", 3, 4);
    const documents = await insertDocuments(
      query,
      taggings.map((t) => ({
        externalKey: `lastfm:tag:${t.userId}:${t.artistId}:${t.tagId}`,
        entityKind: "ARTIST" as const,
        artistId: artists.get(`lastfm:artist:${t.artistId}`)!,
        source: "TAG" as const,
        text: data.tags.get(t.tagId)!,
      })),
    );
    const after = await query<{ users: number; artists: number }>(
      `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM artists)::int AS artists`,
    );
    return { users: after[0].users - before[0].users, artists: after[0].artists - before[0].artists, playCounts: plays, tagDocuments: documents };
  });
  onProgress("done", 4, 4);
  return {
    source: `lastfm-2k:${folder}`,
    created,
    skipped: { taggingsOfUnknownArtists: skippedTaggings },
    seconds: (Date.now() - started) / 1000,
  };
}
