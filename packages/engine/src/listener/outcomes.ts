import type { Database } from "@deepcuts/db";
import { STREAM_COUNTS_FROM_MS, type EventKindName } from "../events/kinds.ts";

/**
 * What a weekly playlist slot led to. An event that carries a playlist context (the playlist id
 * and the 0-based position) is the outcome of that slot when it is one of these; other events
 * with a context (a short stream, an artist-page visit) are kept but are not an outcome.
 */
export type SlotOutcome = "STREAM" | "FULL_PLAY" | "SKIP" | "SAVE" | "PLAYLIST_ADD" | "NOT_FOR_ME";

/** A play of at least this share of the track's length is a full play (covers tracks under 30 s). */
export const FULL_PLAY_SHARE = 0.95;

/** The slot outcome an event stands for, or null when it is not one (see SlotOutcome). */
export function slotOutcome(kind: EventKindName, msPlayed: number | null | undefined, durationMs: number): SlotOutcome | null {
  switch (kind) {
    case "STREAM": {
      // A stream without a length is the client's word that it was a stream.
      if (msPlayed == null) return "STREAM";
      if (durationMs > 0 && msPlayed >= FULL_PLAY_SHARE * durationMs) return "FULL_PLAY";
      return msPlayed >= STREAM_COUNTS_FROM_MS ? "STREAM" : null;
    }
    case "SKIP":
      return "SKIP";
    case "SAVE":
      return "SAVE";
    case "PLAYLIST_ADD":
      return "PLAYLIST_ADD";
    case "DISLIKE":
      return "NOT_FOR_ME";
    default:
      return null;
  }
}

/**
 * The same rule in SQL over `listening_events e JOIN tracks t`: true when the event counts as
 * its slot's stream (a stream of 30 s or more, or a full play).
 */
export const SQL_COUNTED_STREAM = `(e.kind = 'STREAM' AND (e.ms_played IS NULL OR e.ms_played >= ${STREAM_COUNTS_FROM_MS} OR (t.duration_ms > 0 AND e.ms_played >= ${FULL_PLAY_SHARE} * t.duration_ms)))`;

/** A playlist context as a client sends it. */
export interface PlaylistContext {
  playlistId?: number | null;
  position?: number | null;
  trackId?: number | null;
  artistId?: number | null;
  kind: EventKindName;
}

/** A problem with one event's playlist context: the field (`events[i].playlistId`...) and what is wrong. */
export class PlaylistContextError extends Error {
  /** `index`: which of the checked events is wrong. */
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly index: number,
  ) {
    super(`${field} ${problem}`);
    this.name = "PlaylistContextError";
  }
}

/**
 * Checks the playlist context of a listener's events: both the playlist id and the position or
 * neither; the playlist is one of this listener's; the position is a slot it has; the event's
 * track is the slot's track (or, for an event about an artist only, its artist is the slot
 * track's). `at(i)` is the prefix of the i-th event's fields in the errors (`events[3].`, or none for a single event).
 */
export async function checkPlaylistContexts(
  query: Database["query"],
  userId: number,
  events: PlaylistContext[],
  at: (i: number) => string = (i) => `events[${i}].`,
): Promise<void> {
  const ids = new Set<number>();
  events.forEach((e, i) => {
    const hasPlaylist = e.playlistId != null,
      hasPosition = e.position != null;
    if (hasPlaylist !== hasPosition) {
      throw new PlaylistContextError(
        `${at(i)}${hasPlaylist ? "position" : "playlistId"}`,
        `is required with ${hasPlaylist ? "playlistId" : "position"} (a playlist context names both)`,
        i,
      );
    }
    if (!hasPlaylist) return;
    if (!Number.isInteger(e.playlistId) || e.playlistId! < 1)
      throw new PlaylistContextError(`${at(i)}playlistId`, `must be a positive integer, got ${e.playlistId}`, i);
    if (!Number.isInteger(e.position) || e.position! < 0)
      throw new PlaylistContextError(`${at(i)}position`, `must be an integer >= 0 (positions are 0-based), got ${e.position}`, i);
    ids.add(e.playlistId!);
  });
  if (ids.size === 0) return;
  const rows = await query<{ playlist_id: number; user_id: number; position: number; track_id: number; artist_id: number; size: number }>(
    `SELECT p.id AS playlist_id, p.user_id, i.position, i.track_id, t.artist_id,
            (count(*) OVER (PARTITION BY p.id))::int AS size
     FROM weekly_playlists p JOIN playlist_items i ON i.playlist_id = p.id JOIN tracks t ON t.id = i.track_id
     WHERE p.id = ANY($1::int[])`,
    [[...ids]],
  );
  const slots = new Map(rows.map((r) => [`${r.playlist_id}:${r.position}`, r]));
  const owner = new Map(rows.map((r) => [r.playlist_id, { userId: r.user_id, size: r.size }]));
  events.forEach((e, i) => {
    if (e.playlistId == null) return;
    const playlist = owner.get(e.playlistId);
    // The same words whether the playlist is missing or another listener's: ids of others' playlists are not disclosed.
    if (!playlist || playlist.userId !== userId)
      throw new PlaylistContextError(`${at(i)}playlistId`, `playlist ${e.playlistId} is not one of listener ${userId}'s weekly playlists`, i);
    const slot = slots.get(`${e.playlistId}:${e.position}`);
    if (!slot)
      throw new PlaylistContextError(
        `${at(i)}position`,
        `must be 0..${playlist.size - 1} (playlist ${e.playlistId} has ${playlist.size} tracks), got ${e.position}`,
        i,
      );
    if (e.trackId != null && e.trackId !== slot.track_id) {
      throw new PlaylistContextError(
        `${at(i)}trackId`,
        `is ${e.trackId} but position ${e.position} of playlist ${e.playlistId} holds track ${slot.track_id}`,
        i,
      );
    }
    if (e.trackId == null && e.artistId != null && e.artistId !== slot.artist_id) {
      throw new PlaylistContextError(
        `${at(i)}artistId`,
        `is ${e.artistId} but position ${e.position} of playlist ${e.playlistId} holds a track by artist ${slot.artist_id}`,
        i,
      );
    }
  });
}
