import DataLoader from "dataloader";
import type { Database } from "@deepcuts/db";
import { audioFeaturesOf, storedVectorsOf, topTermsOf, tracksById, usersById } from "@deepcuts/engine/catalogue-details.ts";
import {
  itemsOfPlaylists,
  playlistsById,
  weeklyPlaylistsFor,
  type PlaylistItemRecord,
  type PlaylistWithItems,
  type WeeklyPlaylistLookup,
} from "@deepcuts/engine/listener/playlists.ts";
import { blendConfigsById } from "@deepcuts/engine/curation/blends.ts";
import { experimentsById } from "@deepcuts/engine/experiments/experiments.ts";
import { findJob } from "@deepcuts/engine/curation/jobs.ts";
import { apiKeysById } from "@deepcuts/engine/curation/keys-admin.ts";
import { modelVersionsById } from "@deepcuts/engine/curation/model-catalogue.ts";

export interface ArtistRecord {
  id: number;
  externalKey: string;
  name: string;
  genre: string | null;
}

/** Batches relation lookups per request: a page of N items costs one query per relation. */
export function createLoaders(db: Database) {
  const loaders = {
    artist: new DataLoader<number, ArtistRecord | null>(async (ids) => {
      const rows = await db.prisma.artist.findMany({ where: { id: { in: [...ids] } }, select: { id: true, externalKey: true, name: true, genre: true } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    track: new DataLoader((ids: readonly number[]) => tracksById(db, ids)),
    user: new DataLoader((ids: readonly number[]) => usersById(db, ids)),
    playlistItems: new DataLoader(async (ids: readonly number[]) => {
      const lists = await itemsOfPlaylists(db, ids);
      for (const items of lists) primeTracksOf(loaders, items);
      return lists;
    }),
    audioFeatures: new DataLoader((ids: readonly number[]) => audioFeaturesOf(db, ids)),
    trackTopTerms: new DataLoader((ids: readonly number[]) => topTermsOf(db, "TRACK", ids)),
    artistTopTerms: new DataLoader((ids: readonly number[]) => topTermsOf(db, "ARTIST", ids)),
    trackVectors: new DataLoader((ids: readonly number[]) => storedVectorsOf(db, "TRACK", ids)),
    artistVectors: new DataLoader((ids: readonly number[]) => storedVectorsOf(db, "ARTIST", ids)),
    userVectors: new DataLoader((ids: readonly number[]) => storedVectorsOf(db, "USER", ids)),
    // The objects `node(id:)`/`nodes(ids:)` may fetch besides tracks, artists and listeners.
    playlist: new DataLoader((ids: readonly number[]) => playlistsById(db, ids)),
    blendConfig: new DataLoader((ids: readonly number[]) => blendConfigsById(db, ids)),
    modelVersion: new DataLoader((ids: readonly number[]) => modelVersionsById(db, ids)),
    job: new DataLoader((ids: readonly number[]) => Promise.all(ids.map((id) => findJob(db, id)))),
    apiKey: new DataLoader((ids: readonly number[]) => apiKeysById(db, ids)),
    experiment: new DataLoader((ids: readonly number[]) => experimentsById(db, ids)),
  };
  return loaders;
}

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * Loaders shared by every request of one server: they batch the reads of concurrent requests
 * and cache nothing (each read sees the rows as they are now).
 *
 * `weeklyPlaylist` sends the lookups made until the event loop's next check phase as one
 * statement (setImmediate: the requests whose bytes arrived in the same poll share it), at most
 * 8 a statement. With 16 clients (`npm run bench:api`), batches of 16 held every request in
 * lockstep (the database and this thread took turns idling: p99 75-91 ms); batches of 8 keep two
 * in flight (p99 28-34 ms at 1.4 times the unbatched rate; docs/bench-api.md).
 */
export function createSharedLoaders(db: Database) {
  return {
    weeklyPlaylist: new DataLoader<WeeklyPlaylistLookup, PlaylistWithItems | null>((lookups) => weeklyPlaylistsFor(db, lookups), {
      cache: false,
      batchScheduleFn: (callback) => setImmediate(callback),
      maxBatchSize: 8,
    }),
  };
}

export type SharedLoaders = ReturnType<typeof createSharedLoaders>;

/** Items arrive with their tracks and artists: later .load()s of those cost nothing. */
function primeTracksOf(loaders: Pick<Loaders, "track" | "artist">, items: readonly PlaylistItemRecord[]): void {
  for (const item of items) {
    loaders.track.prime(item.trackId, item.track);
    loaders.artist.prime(item.artist.id, item.artist);
  }
}

/** Puts a playlist's items, read with the playlist itself, where its field resolvers look for them. */
export function primePlaylistItems(loaders: Loaders, playlistId: number, items: PlaylistItemRecord[]): void {
  loaders.playlistItems.prime(playlistId, items);
  primeTracksOf(loaders, items);
}
