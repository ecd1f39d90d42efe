import { createHash } from "node:crypto";
import type { Database } from "@deepcuts/db";
import { yieldToLoop } from "../ingest.ts";
import { matchTitle, normaliseArtist, sameDuration } from "./normalise.ts";

type Query = Database["query"];
export type ExternalIdKind = "MUSICBRAINZ" | "ISRC" | "SPOTIFY";

/** What a play says about its song; every id is optional. */
export interface SongIdentity {
  artist: string;
  title: string;
  album?: string | null;
  /** Length of the recording in ms (not how long it played), when the source knows it. */
  durationMs?: number | null;
  recordingMbid?: string | null;
  isrc?: string | null;
  /** spotify:track:<id> */
  spotifyUri?: string | null;
  artistMbids?: string[];
}

interface KnownTrack {
  id: number;
  durationMs: number;
}
interface NewArtist {
  ref: number;
  externalKey: string;
  name: string;
  matchName: string;
  mbid: string | null;
  id?: number;
}
interface NewTrack {
  ref: number;
  externalKey: string;
  title: string;
  matchTitle: string;
  artistRef: number;
  durationMs: number;
  album: string | null;
  known: KnownTrack;
  id?: number;
}

const sha1 = (text: string) => createHash("sha1").update(text).digest("hex").slice(0, 24);

/** External ids of a song in resolution order: MusicBrainz recording id, then ISRC, then Spotify URI. */
function externalKeys(song: SongIdentity): [ExternalIdKind, string][] {
  const out: [ExternalIdKind, string][] = [];
  if (song.recordingMbid) out.push(["MUSICBRAINZ", song.recordingMbid]);
  if (song.isrc) out.push(["ISRC", song.isrc]);
  if (song.spotifyUri) out.push(["SPOTIFY", song.spotifyUri]);
  return out;
}

/**
 * Finds or creates the track of each song, inside the caller's transaction. Order: an external
 * id already known (MusicBrainz recording id, ISRC, Spotify URI), then the normalised artist and
 * title (version included) with a duration within 3 s (an unknown duration matches), then a new
 * track. Ids a play teaches about a known track are recorded on it, so the next source that
 * carries only that id finds it. Caches what it has seen: memory grows with distinct songs, not
 * with plays.
 */
export class TrackResolver {
  readonly created = { artists: 0, tracks: 0 };
  private readonly trackByExternal = new Map<string, number>();
  private readonly tracksByName = new Map<string, KnownTrack[]>();
  private readonly artistByExternal = new Map<string, number>();
  private readonly artistByName = new Map<string, number>();
  private readonly fetchedNames = new Set<string>();
  private readonly fetchedArtistNames = new Set<string>();
  private readonly fetchedExternal = new Set<string>();

  constructor(private readonly query: Query) {}

  /** Track ids of `songs`, in order. */
  async resolve(songs: SongIdentity[]): Promise<number[]> {
    const keyed = songs.map((song) => {
      const artistMatch = normaliseArtist(song.artist);
      return { song, artistMatch, nameKey: `${artistMatch}\t${matchTitle(song.title)}`, ext: externalKeys(song), artistMbid: song.artistMbids?.[0] ?? null };
    });
    await this.prefetch(keyed);

    // Negative numbers stand for rows created at the end of the batch.
    const newArtists: NewArtist[] = [];
    const newTracks: NewTrack[] = [];
    const learnedTrackIds: [ExternalIdKind, string, number][] = [];
    const learnedArtistIds: [string, number][] = [];
    const durations = new Map<number, number>();
    const refs: number[] = [];
    for (const k of keyed) {
      let trackRef = k.ext.map(([kind, value]) => this.trackByExternal.get(`${kind}:${value}`)).find((id) => id !== undefined);
      if (trackRef === undefined) {
        const candidates = (this.tracksByName.get(k.nameKey) ?? []).filter((c) => sameDuration(c.durationMs, k.song.durationMs));
        const best = candidates.sort(
          (a, b) => Math.abs(a.durationMs - (k.song.durationMs ?? a.durationMs)) - Math.abs(b.durationMs - (k.song.durationMs ?? b.durationMs)),
        )[0];
        trackRef = best?.id;
      }
      if (trackRef === undefined) {
        let artistRef = (k.artistMbid ? this.artistByExternal.get(k.artistMbid) : undefined) ?? this.artistByName.get(k.artistMatch);
        if (artistRef === undefined) {
          const artist: NewArtist = {
            ref: -(newArtists.length + 1),
            name: k.song.artist.trim(),
            matchName: k.artistMatch,
            mbid: k.artistMbid,
            externalKey: k.artistMbid ? `musicbrainz:artist:${k.artistMbid}` : `artist:${sha1(k.artistMatch)}`,
          };
          newArtists.push(artist);
          artistRef = artist.ref;
        }
        const durationMs = k.song.durationMs ?? 0;
        const [firstKind, firstValue] = k.ext[0] ?? [];
        const known: KnownTrack = { id: -(newTracks.length + 1), durationMs };
        const track: NewTrack = {
          ref: known.id,
          known,
          title: k.song.title.trim(),
          matchTitle: k.nameKey.split("\t")[1],
          artistRef,
          durationMs,
          album: k.song.album ?? null,
          externalKey:
            firstKind === "SPOTIFY"
              ? firstValue
              : firstKind === "MUSICBRAINZ"
                ? `musicbrainz:recording:${firstValue}`
                : firstKind === "ISRC"
                  ? `isrc:${firstValue}`
                  : `track:${sha1(`${k.nameKey}\t${Math.round(durationMs / 1000)}`)}`,
        };
        newTracks.push(track);
        trackRef = track.ref;
        const list = this.tracksByName.get(k.nameKey) ?? [];
        list.push(known);
        this.tracksByName.set(k.nameKey, list);
      } else if (trackRef > 0 && k.song.durationMs) {
        const known = this.tracksByName.get(k.nameKey)?.find((c) => c.id === trackRef);
        if (known && known.durationMs === 0) {
          known.durationMs = k.song.durationMs;
          durations.set(trackRef, k.song.durationMs);
        }
      }
      for (const [kind, value] of k.ext) {
        if (!this.trackByExternal.has(`${kind}:${value}`)) {
          this.trackByExternal.set(`${kind}:${value}`, trackRef);
          learnedTrackIds.push([kind, value, trackRef]);
        }
      }
      if (k.artistMbid && !this.artistByExternal.has(k.artistMbid)) {
        const artistRef = trackRef > 0 ? null : newTracks[-trackRef - 1].artistRef;
        if (artistRef !== null) {
          this.artistByExternal.set(k.artistMbid, artistRef);
          learnedArtistIds.push([k.artistMbid, artistRef]);
        }
      }
      if (!this.artistByName.has(k.artistMatch) && trackRef < 0) this.artistByName.set(k.artistMatch, newTracks[-trackRef - 1].artistRef);
      refs.push(trackRef);
    }
    await this.write(newArtists, newTracks, learnedTrackIds, learnedArtistIds, durations);
    const real = (ref: number) => (ref > 0 ? ref : newTracks[-ref - 1].id!);
    return refs.map(real);
  }

  /** Loads what the database already knows about this batch's ids and names. */
  private async prefetch(keyed: { nameKey: string; artistMatch: string; ext: [ExternalIdKind, string][]; artistMbid: string | null }[]): Promise<void> {
    const ext = [...new Set(keyed.flatMap((k) => k.ext.map(([kind, value]) => `${kind}:${value}`)))].filter((key) => !this.fetchedExternal.has(key));
    if (ext.length > 0) {
      const rows = await this.query<{ kind: string; value: string; track_id: number }>(
        `SELECT e.kind::text AS kind, e.value, e.track_id FROM track_external_ids e
         JOIN unnest($1::text[], $2::text[]) AS k(kind, value) ON e.kind::text = k.kind AND e.value = k.value`,
        [ext.map((key) => key.slice(0, key.indexOf(":"))), ext.map((key) => key.slice(key.indexOf(":") + 1))],
      );
      for (const r of rows) this.trackByExternal.set(`${r.kind}:${r.value}`, r.track_id);
      ext.forEach((key) => this.fetchedExternal.add(key));
    }
    const names = [...new Set(keyed.map((k) => k.nameKey))].filter((key) => !this.fetchedNames.has(key));
    if (names.length > 0) {
      const rows = await this.query<{ id: number; duration_ms: number; artist: string; title: string }>(
        `SELECT t.id, t.duration_ms, a.match_name AS artist, t.match_title AS title
         FROM unnest($1::text[], $2::text[]) AS k(artist, title)
         JOIN artists a ON a.match_name = k.artist JOIN tracks t ON t.artist_id = a.id AND t.match_title = k.title
         ORDER BY t.id`,
        [names.map((n) => n.split("\t")[0]), names.map((n) => n.split("\t")[1])],
      );
      for (const r of rows) {
        const key = `${r.artist}\t${r.title}`;
        const list = this.tracksByName.get(key) ?? [];
        if (!list.some((c) => c.id === r.id)) list.push({ id: r.id, durationMs: r.duration_ms });
        this.tracksByName.set(key, list);
      }
      names.forEach((key) => this.fetchedNames.add(key));
    }
    const mbids = [...new Set(keyed.map((k) => k.artistMbid).filter((m): m is string => m !== null && !this.artistByExternal.has(m)))];
    if (mbids.length > 0) {
      const rows = await this.query<{ value: string; artist_id: number }>(
        `SELECT value, artist_id FROM artist_external_ids WHERE kind = 'MUSICBRAINZ' AND value = ANY($1::text[])`,
        [mbids],
      );
      for (const r of rows) this.artistByExternal.set(r.value, r.artist_id);
    }
    const artistNames = [...new Set(keyed.map((k) => k.artistMatch))].filter((n) => !this.fetchedArtistNames.has(n));
    if (artistNames.length > 0) {
      const rows = await this.query<{ id: number; match_name: string }>(
        `SELECT min(id) AS id, match_name FROM artists WHERE match_name = ANY($1::text[]) GROUP BY match_name`,
        [artistNames],
      );
      for (const r of rows) this.artistByName.set(r.match_name, r.id);
      artistNames.forEach((n) => this.fetchedArtistNames.add(n));
    }
  }

  private async write(
    newArtists: NewArtist[],
    newTracks: NewTrack[],
    trackIds: [ExternalIdKind, string, number][],
    artistIds: [string, number][],
    durations: Map<number, number>,
  ): Promise<void> {
    if (newArtists.length > 0) {
      // An artist created earlier under the same key is the same artist: the update makes RETURNING give its id.
      const rows = await this.query<{ id: number; external_key: string; inserted: boolean }>(
        `INSERT INTO artists (external_key, name, match_name)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (external_key) DO UPDATE SET external_key = excluded.external_key
         RETURNING id, external_key, (xmax = 0) AS inserted`,
        [newArtists.map((a) => a.externalKey), newArtists.map((a) => a.name), newArtists.map((a) => a.matchName)],
      );
      const byKey = new Map(rows.map((r) => [r.external_key, r]));
      for (const a of newArtists) a.id = byKey.get(a.externalKey)!.id;
      this.created.artists += rows.filter((r) => r.inserted).length;
    }
    const artistId = (ref: number) => (ref > 0 ? ref : newArtists[-ref - 1].id!);
    if (newTracks.length > 0) {
      const rows = await this.query<{ id: number; external_key: string; inserted: boolean }>(
        `INSERT INTO tracks (external_key, title, artist_id, duration_ms, match_title, metadata)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::jsonb[])
         ON CONFLICT (external_key) DO UPDATE SET external_key = excluded.external_key
         RETURNING id, external_key, (xmax = 0) AS inserted`,
        [
          newTracks.map((t) => t.externalKey),
          newTracks.map((t) => t.title),
          newTracks.map((t) => artistId(t.artistRef)),
          newTracks.map((t) => t.durationMs),
          newTracks.map((t) => t.matchTitle),
          newTracks.map((t) => (t.album ? JSON.stringify({ album: t.album }) : null)),
        ],
      );
      const byKey = new Map(rows.map((r) => [r.external_key, r]));
      for (const t of newTracks) t.id = byKey.get(t.externalKey)!.id;
      this.created.tracks += rows.filter((r) => r.inserted).length;
      for (const t of newTracks) t.known.id = t.id!;
    }
    const trackId = (ref: number) => (ref > 0 ? ref : newTracks[-ref - 1].id!);
    for (const [kind, value, ref] of trackIds) if (ref < 0) this.trackByExternal.set(`${kind}:${value}`, trackId(ref));
    for (const [value, ref] of artistIds) if (ref < 0) this.artistByExternal.set(value, artistId(ref));
    for (const a of newArtists) if (this.artistByName.get(a.matchName) === a.ref) this.artistByName.set(a.matchName, a.id!);
    if (trackIds.length > 0) {
      await this.query(
        `INSERT INTO track_external_ids (kind, value, track_id)
         SELECT * FROM unnest($1::text[]::"ExternalIdKind"[], $2::text[], $3::int[]) ON CONFLICT DO NOTHING`,
        [trackIds.map(([kind]) => kind), trackIds.map(([, value]) => value), trackIds.map(([, , ref]) => trackId(ref))],
      );
    }
    if (artistIds.length > 0) {
      await this.query(
        `INSERT INTO artist_external_ids (kind, value, artist_id)
         SELECT 'MUSICBRAINZ', * FROM unnest($1::text[], $2::int[]) ON CONFLICT DO NOTHING`,
        [artistIds.map(([value]) => value), artistIds.map(([, ref]) => artistId(ref))],
      );
    }
    if (durations.size > 0) {
      await this.query(`UPDATE tracks t SET duration_ms = d.ms FROM unnest($1::int[], $2::int[]) AS d(id, ms) WHERE t.id = d.id AND t.duration_ms = 0`, [
        [...durations.keys()],
        [...durations.values()],
      ]);
    }
    await yieldToLoop();
  }
}

/**
 * Fills match_name and match_title of artists and tracks written before the identity columns
 * existed (or by SQL that does not set them), so name matching sees the whole catalogue.
 */
export async function backfillMatchKeys(query: Query): Promise<number> {
  let filled = 0;
  for (;;) {
    const artists = await query<{ id: number; name: string }>(`SELECT id, name FROM artists WHERE match_name IS NULL ORDER BY id LIMIT 5000`);
    if (artists.length === 0) break;
    await query(`UPDATE artists a SET match_name = m.name FROM unnest($1::int[], $2::text[]) AS m(id, name) WHERE a.id = m.id`, [
      artists.map((a) => a.id),
      artists.map((a) => normaliseArtist(a.name)),
    ]);
    filled += artists.length;
  }
  for (;;) {
    const tracks = await query<{ id: number; title: string }>(`SELECT id, title FROM tracks WHERE match_title IS NULL ORDER BY id LIMIT 5000`);
    if (tracks.length === 0) break;
    await query(`UPDATE tracks t SET match_title = m.title FROM unnest($1::int[], $2::text[]) AS m(id, title) WHERE t.id = m.id`, [
      tracks.map((t) => t.id),
      tracks.map((t) => matchTitle(t.title)),
    ]);
    filled += tracks.length;
    await yieldToLoop();
  }
  return filled;
}
