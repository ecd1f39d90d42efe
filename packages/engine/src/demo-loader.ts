import { refreshPlannerStatistics, type Database } from "@deepcuts/db";
import { events, generateWorld, type DemoWorld } from "@deepcuts/demo";
import { insertDocuments, upsertArtists, upsertTracks, upsertUsers, yieldToLoop, type EventRow } from "./ingest.ts";
import { EventBulkLoader } from "./ingest-bulk.ts";
import { loadDemoArticles } from "./crawl/demo-articles.ts";
import { EVENT_KIND_WORDS } from "./events/kinds.ts";

export interface DemoLoadReport {
  artists: number;
  tracks: number;
  listeners: number;
  documents: number;
  events: number;
  /** Generated web articles stored as crawled ones (new this time), with their artist mentions. */
  articles: number;
  mentions: number;
  seconds: number;
}

/** Relative path (inside $DEEPCUTS_HOME) of a demo track's synthesized clip. */
export function demoAudioPath(trackKey: string): string {
  return `audio/demo/${trackKey}.wav`;
}

/** The generateWorld options that reproduce `world` exactly. */
export function demoWorldOptions(world: DemoWorld) {
  return {
    seed: world.seed,
    now: world.now.toISOString(),
    listeners: world.users.length,
    artists: world.artists.length,
    tracks: world.tracks.length,
    events: world.eventCount,
  };
}

/** The demo world loaded into this database, regenerated from its recorded options; null if none was loaded. */
export async function loadedDemoWorld(db: Database): Promise<DemoWorld | null> {
  const [job] = await db.query<{ params: { world?: ReturnType<typeof demoWorldOptions> } }>(
    `SELECT params FROM jobs WHERE kind = 'IMPORT' AND params->>'source' = 'demo' ORDER BY id DESC LIMIT 1`,
  );
  const o = job?.params.world;
  if (!o) return null;
  return generateWorld({ ...o, now: new Date(o.now) });
}

/**
 * Writes a generated demo world into the database in one transaction: artists, tracks (with
 * their true tempo, key and mode in `metadata`, and where their clip will be written),
 * listeners with their seed artists, texts, and the year of listening events streamed in
 * batches; then its web articles, through the crawler's storing path (crawl/demo-articles.ts).
 * Loading the same world twice changes nothing.
 */
export async function loadDemoWorld(db: Database, world: DemoWorld, onProgress: (m: string, d: number, t: number) => void = () => {}): Promise<DemoLoadReport> {
  const started = Date.now();
  const total = world.eventCount;
  const inserted = await db.transaction(async (query, copyRows) => {
    onProgress("artists and tracks", 0, total);
    const artists = await upsertArtists(
      query,
      world.artists.map((a) => ({ externalKey: a.key, name: a.name, genre: world.genres.find((g) => g.key === a.genre)?.name ?? a.genre })),
    );
    const genreName = new Map(world.genres.map((g) => [g.key, g.name]));
    const tracks = await upsertTracks(
      query,
      world.tracks.map((t) => ({
        externalKey: t.key,
        title: t.title,
        artistId: artists.get(t.artistKey)!,
        durationMs: t.durationMs,
        releaseDate: t.releaseDate,
        audioPath: demoAudioPath(t.key),
        genre: genreName.get(t.genre) ?? t.genre,
        metadata: { demo: true, tempo: t.tempo, key: t.musicalKey, mode: t.mode, isColdStart: t.isColdStart, popularity: t.popularity },
      })),
    );
    const artistOfTrack = new Map(world.tracks.map((t) => [t.key, artists.get(t.artistKey)!]));
    onProgress("listeners", 0, total);
    const users = await upsertUsers(
      query,
      world.users.map((u) => ({ externalKey: u.key, name: u.name, timeZone: u.timeZone })),
    );
    const seeds = world.users.flatMap((u) => u.seedArtistKeys.map((a) => [users.get(u.key)!, artists.get(a)!] as const));
    await query(`INSERT INTO user_seed_artists (user_id, artist_id) SELECT * FROM unnest($1::int[], $2::int[]) ON CONFLICT DO NOTHING`, [
      seeds.map((s) => s[0]),
      seeds.map((s) => s[1]),
    ]);
    await query(`INSERT INTO audio_analyses (track_id, status) SELECT unnest($1::int[]), 'PENDING' ON CONFLICT (track_id) DO NOTHING`, [[...tracks.values()]]);
    onProgress("texts", 0, total);
    const documents = await insertDocuments(
      query,
      world.documents.map((d) => ({
        externalKey: d.key,
        entityKind: d.entityKind === "artist" ? "ARTIST" : "TRACK",
        artistId: d.entityKind === "artist" ? artists.get(d.entityKey)! : null,
        trackId: d.entityKind === "track" ? tracks.get(d.entityKey)! : null,
        source: d.source.toUpperCase() as "BIO" | "REVIEW" | "BLOG" | "TAG",
        text: d.text,
      })),
    );
    const loader = await EventBulkLoader.open(query, copyRows);
    let batch: EventRow[] = [];
    const flush = async () => {
      await loader.add(batch);
      batch = [];
      onProgress("listening events", loader.staged, total);
      await yieldToLoop();
    };
    for (const e of events(world)) {
      const visit = e.kind === "artist_visit";
      batch.push({
        userId: users.get(e.userKey)!,
        eventId: e.eventId,
        kind: EVENT_KIND_WORDS[e.kind],
        trackId: visit ? null : tracks.get(e.trackKey)!,
        artistId: visit ? artistOfTrack.get(e.trackKey)! : null,
        occurredAt: e.at,
        msPlayed: e.msPlayed ?? null,
      });
      if (batch.length === 10_000) await flush();
    }
    if (batch.length) await flush();
    onProgress("listening totals", total, total);
    const eventsInserted = await loader.merge();
    // Provenance: enough to regenerate the same world later (the audio is synthesized from it).
    await query(
      `INSERT INTO jobs (kind, status, params, done, total, message, started_at, finished_at)
       VALUES ('IMPORT', 'SUCCEEDED', $1::jsonb, $2, $2, 'demo world loaded', now(), now())`,
      [JSON.stringify({ source: "demo", world: demoWorldOptions(world) }), eventsInserted],
    );
    return { artists: artists.size, tracks: tracks.size, listeners: users.size, documents, events: eventsInserted };
  });
  // After the catalogue is committed: the linker reads the artists from the database.
  onProgress("articles", total, total);
  const press = await loadDemoArticles(db, world);
  // Training and the first weekly run query what was just loaded (db/statistics.ts).
  await refreshPlannerStatistics(db);
  return {
    ...inserted,
    documents: inserted.documents + press.documents,
    articles: press.articles,
    mentions: press.mentions,
    seconds: (Date.now() - started) / 1000,
  };
}
