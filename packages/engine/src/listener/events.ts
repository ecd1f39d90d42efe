import type { Database } from "@deepcuts/db";
import { insertEvents, type EventRow } from "../ingest.ts";
import { EVENT_KINDS, EVENT_MEANING } from "../events/kinds.ts";
import { invalid, missing } from "../service-error.ts";
import { checkInstant, InstantError } from "../validation/instant.ts";
import { checkPlaylistContexts, PlaylistContextError } from "./outcomes.ts";

export const MAX_EVENT_BATCH = 500;

/**
 * An event as a listener's app sends it: the listener comes from the request. `playlistId` and
 * `position` (0-based) say which weekly playlist slot it is the outcome of (listener/outcomes.ts).
 */
export type EventInput = Omit<EventRow, "userId">;

/** Where in a weekly playlist a save or a "not for me" happened. */
export interface PlaylistSlot {
  playlistId: number;
  position: number;
}

export interface BatchResult {
  received: number;
  /** Events seen for the first time. */
  recorded: number;
  /** Events whose eventId this listener had already sent (a retry): ignored. */
  duplicates: number;
}

/** Checks each event and names the first bad field as `events[i].field`. */
async function validateEvents(db: Database, userId: number, events: EventInput[], now: Date, single: boolean): Promise<void> {
  if (events.length < 1 || events.length > MAX_EVENT_BATCH) throw invalid("events", `must hold 1..${MAX_EVENT_BATCH} events, got ${events.length}`);
  const seen = new Map<string, number>();
  events.forEach((e, i) => {
    const at = `events[${i}]`;
    if (!/^[\w.:-]{1,100}$/.test(e.eventId)) throw invalid(`${at}.eventId`, `must be 1..100 letters, digits or . _ : -, got '${e.eventId.slice(0, 40)}'`);
    if (seen.has(e.eventId)) throw invalid(`${at}.eventId`, `repeats events[${seen.get(e.eventId)}].eventId '${e.eventId}' in the same batch`);
    seen.set(e.eventId, i);
    if (!EVENT_KINDS.includes(e.kind)) throw invalid(`${at}.kind`, `must be one of ${EVENT_KINDS.join(", ")}, got '${e.kind}'`);
    const needsTrack = EVENT_MEANING[e.kind].needsTrack;
    if (needsTrack && e.trackId == null) throw invalid(`${at}.trackId`, `is required for a ${e.kind} event`);
    if (!needsTrack && e.trackId == null && e.artistId == null) throw invalid(`${at}.artistId`, `a ${e.kind} event names a track or an artist`);
    try {
      checkInstant(e.occurredAt, `${at}.occurredAt`, now);
    } catch (error) {
      if (error instanceof InstantError) throw invalid(error.field, error.problem);
      throw error;
    }
    if (e.msPlayed != null && (!Number.isInteger(e.msPlayed) || e.msPlayed < 0 || e.msPlayed > 24 * 3600_000)) {
      throw invalid(`${at}.msPlayed`, `must be 0..86400000, got ${e.msPlayed}`);
    }
  });
  const trackIds = [...new Set(events.flatMap((e) => (e.trackId == null ? [] : [e.trackId])))];
  const artistIds = [...new Set(events.flatMap((e) => (e.artistId == null ? [] : [e.artistId])))];
  const [tracks, artists] = await Promise.all([
    trackIds.length ? db.query<{ id: number }>(`SELECT id FROM tracks WHERE id = ANY($1::int[])`, [trackIds]) : [],
    artistIds.length ? db.query<{ id: number }>(`SELECT id FROM artists WHERE id = ANY($1::int[])`, [artistIds]) : [],
  ]);
  const knownTracks = new Set(tracks.map((t) => t.id)),
    knownArtists = new Set(artists.map((a) => a.id));
  events.forEach((e, i) => {
    if (e.trackId != null && !knownTracks.has(e.trackId)) throw invalid(`events[${i}].trackId`, `track ${e.trackId} does not exist`);
    if (e.artistId != null && !knownArtists.has(e.artistId)) throw invalid(`events[${i}].artistId`, `artist ${e.artistId} does not exist`);
  });
  try {
    await checkPlaylistContexts(db.query, userId, events, single ? () => "" : undefined);
  } catch (error) {
    if (error instanceof PlaylistContextError) throw invalid(error.field, error.problem);
    throw error;
  }
}

/**
 * Records a batch of a listener's events. Idempotent by (listener, eventId): a retried or
 * concurrently repeated batch records each event once (one INSERT ... ON CONFLICT DO NOTHING
 * statement that also folds only the new events into the aggregates).
 */
export async function recordEventBatch(db: Database, userId: number, events: EventInput[], now = new Date(), single = false): Promise<BatchResult> {
  const [user] = await db.query<{ id: number }>(`SELECT id FROM users WHERE id = $1`, [userId]);
  if (!user) throw missing(`listener ${userId}`);
  await validateEvents(db, userId, events, now, single);
  const rows: EventRow[] = events.map((e) => ({
    userId,
    eventId: e.eventId,
    kind: e.kind,
    trackId: e.trackId ?? null,
    artistId: e.artistId ?? null,
    occurredAt: e.occurredAt,
    msPlayed: e.msPlayed ?? null,
    playlistId: e.playlistId ?? null,
    position: e.position ?? null,
  }));
  const recorded = await insertEvents(db.query, rows);
  return { received: events.length, recorded, duplicates: events.length - recorded };
}

/** Saving a track is a SAVE event; its default id makes saving twice a no-op. From a playlist slot, it is that slot's outcome. */
export function saveTrack(db: Database, userId: number, trackId: number, eventId?: string | null, slot?: PlaylistSlot | null): Promise<BatchResult> {
  return recordEventBatch(
    db,
    userId,
    [
      {
        eventId: eventId ?? `save.${trackId}`,
        kind: "SAVE",
        trackId,
        occurredAt: new Date(),
        playlistId: slot?.playlistId ?? null,
        position: slot?.position ?? null,
      },
    ],
    new Date(),
    true,
  );
}

/** "Not for me" on a track or an artist is a DISLIKE event; the weekly generation avoids both. */
export function markNotForMe(
  db: Database,
  userId: number,
  target: { trackId?: number | null; artistId?: number | null },
  eventId?: string | null,
  slot?: PlaylistSlot | null,
): Promise<BatchResult> {
  const hasTrack = target.trackId != null,
    hasArtist = target.artistId != null;
  if (hasTrack === hasArtist) throw invalid(hasTrack ? "artistId" : "trackId", "name exactly one of trackId or artistId");
  const defaultId = hasTrack ? `dislike.track.${target.trackId}` : `dislike.artist.${target.artistId}`;
  return recordEventBatch(
    db,
    userId,
    [
      {
        eventId: eventId ?? defaultId,
        kind: "DISLIKE",
        trackId: target.trackId ?? null,
        artistId: target.artistId ?? null,
        occurredAt: new Date(),
        playlistId: slot?.playlistId ?? null,
        position: slot?.position ?? null,
      },
    ],
    new Date(),
    true,
  );
}
