import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertArtists, upsertTracks } from "@deepcuts/engine/ingest.ts";
import { similarEntities } from "@deepcuts/engine/similarity/similar.ts";
import { storeVectors } from "@deepcuts/engine/training/vector-store.ts";
import { seededRandom } from "@deepcuts/models/core";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

/**
 * Similarity scores a curator can read: audio neighbours spread instead of all scoring ~0.9999,
 * and text neighbours of a track whose vector is its artist's are marked "same artist" and
 * followed by related artists' tracks dealt out in turn. Six artists of ten tracks each.
 */
describe("readable similarity scores (embedded)", () => {
  let t: TestDatabase;
  let trackIds: number[] = [];
  let artistIds: number[] = [];
  let audioVectors = new Float32Array(0);
  const artistOf = (track: number) => artistIds[trackIds.indexOf(track) % 6];

  beforeAll(async () => {
    t = await createTestDatabase("embedded");
    const q = t.db.query;
    const artists = await upsertArtists(
      q,
      Array.from({ length: 6 }, (_, i) => ({ externalKey: `a${i}`, name: `Artist ${i}`, genre: `g${i % 3}` })),
    );
    artistIds = Array.from({ length: 6 }, (_, i) => artists.get(`a${i}`)!);
    const tracks = await upsertTracks(
      q,
      Array.from({ length: 60 }, (_, i) => ({ externalKey: `t${i}`, title: `Song ${i}`, artistId: artistIds[i % 6], durationMs: 200_000 })),
    );
    trackIds = Array.from({ length: 60 }, (_, i) => tracks.get(`t${i}`)!);
    const version = async (kind: string) => {
      const [row] = await q<{ id: number }>(
        `INSERT INTO model_versions (kind, status, is_active, params, finished_at) VALUES ($1::text::"ModelKind", 'READY', true, '{}', now()) RETURNING id`,
        [kind],
      );
      return row.id;
    };
    // AUDIO: what the content network gives: unit vectors that all lie near one direction, a
    // genre (artist i % 3) offset on top and a smaller per-track one. Raw cosines are all ~0.999.
    const random = seededRandom(3);
    const dim = 8;
    const audio = new Float32Array(60 * dim);
    for (let i = 0; i < 60; i++) {
      for (let j = 0; j < dim; j++) audio[i * dim + j] = 1 + (j === (i % 6) % 3 ? 0.03 : 0) + 0.004 * (random() - 0.5);
    }
    audioVectors = audio;
    await storeVectors(t.db, await version("AUDIO_CNN"), "TRACK", trackIds, { rows: 60, cols: dim, data: audio });
    // TEXT: artists 0-4 have their own vectors (artist a near direction a, so 0 ~ 1 > 2 ...);
    // tracks of artist 0 have none of their own (inherited), track 6 of artist 0 has its own.
    const artistVector = (a: number) => Float32Array.from({ length: 6 }, (_, j) => (j === a ? 1 : j === a + 1 ? 0.5 - 0.05 * a : 0));
    const textTracks = new Float32Array(60 * 6);
    const inherited = trackIds.map((_, i) => i !== 6);
    for (let i = 0; i < 60; i++) textTracks.set(i === 6 ? Float32Array.from([0.9, 0.2, 0.1, 0, 0, 0.3]) : artistVector(i % 6), i * 6);
    const textVersion = await version("TEXT");
    await storeVectors(t.db, textVersion, "TRACK", trackIds, { rows: 60, cols: 6, data: textTracks }, inherited);
    // COLLABORATIVE: random vectors for the first 48 tracks only; the last 12 nobody played.
    const collaborative = Float32Array.from({ length: 48 * 4 }, () => random() - 0.5);
    await storeVectors(t.db, await version("ALS"), "TRACK", trackIds.slice(0, 48), { rows: 48, cols: 4, data: collaborative });
  }, 60_000);
  afterAll(async () => t?.drop());

  it("audio neighbours score across a range instead of tying near 1, and share the genre", async () => {
    const found = await similarEntities(t.db, { entity: "TRACK", id: trackIds[0], model: "AUDIO", first: 9 });
    const scores = found.map((f) => f.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // The raw cosines of the same nine neighbours span almost nothing.
    const unit = (i: number) => {
      const v = audioVectors.subarray(i * 8, i * 8 + 8);
      const n = Math.hypot(...v);
      return Array.from(v, (x) => x / n);
    };
    const raw = found.map((f) => unit(trackIds.indexOf(f.id)).reduce((s, x, j) => s + x * unit(0)[j], 0));
    expect(Math.min(...raw)).toBeGreaterThan(0.999);
    expect(scores[0] - scores[8]).toBeGreaterThan(50 * (Math.max(...raw) - Math.min(...raw)));
    expect(scores[0] - scores[8]).toBeGreaterThan(0.05);
    // Tracks 3, 6, 9 ... share track 0's genre (artist i % 6 with i % 3 == 0): the top 9 are all of them.
    const genreOf = (id: number) => (trackIds.indexOf(id) % 6) % 3;
    expect(found.filter((f) => genreOf(f.id) === 0)).toHaveLength(9);
  });

  it("text neighbours of an inherited track: its artist's tracks marked first, then related artists in turn", async () => {
    const found = await similarEntities(t.db, { entity: "TRACK", id: trackIds[0], model: "TEXT", first: 20 });
    // Artist 0's nine other tracks (track 6 has its own text, so it ranks by its score among the rest).
    const same = found.filter((f) => f.sameArtist);
    expect(found.slice(0, 8).every((f) => f.sameArtist)).toBe(true);
    expect(same.map((f) => f.id)).toContain(trackIds[6]);
    expect(same).toHaveLength(9);
    const rest = found.filter((f) => !f.sameArtist);
    // Related artists one track each, best first (artist 1 shares most of artist 0's direction), before any artist's second track.
    const firstRound = rest.slice(0, 5).map((f) => artistOf(f.id));
    expect(new Set(firstRound).size).toBe(5);
    expect(firstRound[0]).toBe(artistIds[1]);
    expect(rest.slice(0, 5).map((f) => f.score)).toEqual(
      rest
        .slice(0, 5)
        .map((f) => f.score)
        .sort((a, b) => b - a),
    );
    expect(found.every((f) => f.scores.TEXT === f.score)).toBe(true);
  });

  it("every neighbour carries each model's score for the pair, the number that model's own query shows", async () => {
    // Every other track under TEXT and AUDIO: the pair scores each model's own query gives.
    const text = new Map((await similarEntities(t.db, { entity: "TRACK", id: trackIds[0], model: "TEXT", first: 59 })).map((f) => [f.id, f.score]));
    const byAudio = await similarEntities(t.db, { entity: "TRACK", id: trackIds[0], model: "AUDIO", first: 59 });
    const audio = new Map(byAudio.map((f) => [f.id, f.score]));
    expect(text.size).toBe(59);
    expect(audio.size).toBe(59);
    const found = await similarEntities(t.db, { entity: "TRACK", id: trackIds[0], model: "COLLABORATIVE", first: 20 });
    expect(found).toHaveLength(20);
    for (const f of found) {
      expect(f.scores.COLLABORATIVE).toBe(f.score);
      expect(Math.abs(f.scores.TEXT! - text.get(f.id)!)).toBeLessThan(1e-6);
      expect(Math.abs(f.scores.AUDIO! - audio.get(f.id)!)).toBeLessThan(1e-6);
      // CO_MENTION is artists only.
      expect(f.scores.CO_MENTION).toBeUndefined();
    }
    // Text scores differ between artists (not a copy of the collaborative score).
    expect(new Set(found.map((f) => f.scores.TEXT!.toFixed(4))).size).toBeGreaterThan(1);
    // Under AUDIO, the tracks without a collaborative vector have no collaborative score; the others have theirs.
    const unplayed = new Set(trackIds.slice(48));
    expect(byAudio.filter((f) => unplayed.has(f.id)).every((f) => f.scores.COLLABORATIVE === undefined)).toBe(true);
    expect(byAudio.filter((f) => !unplayed.has(f.id)).every((f) => typeof f.scores.COLLABORATIVE === "number")).toBe(true);
    expect(byAudio.map((f) => f.id)).toEqual([...audio.keys()]);
    // A query track with no collaborative vector: no neighbour gets a collaborative score.
    const fromUnplayed = await similarEntities(t.db, { entity: "TRACK", id: trackIds[50], model: "AUDIO", first: 10 });
    expect(fromUnplayed.every((f) => f.scores.COLLABORATIVE === undefined && typeof f.scores.TEXT === "number")).toBe(true);
  });

  it("a track with text of its own: no artist goes first, its artist's tracks are only marked, ties dealt in turn", async () => {
    const found = await similarEntities(t.db, { entity: "TRACK", id: trackIds[6], model: "TEXT", first: 12 });
    // Six (artist, score) groups: the first round is one track of each, by score; the second repeats that order.
    const firstRound = found.slice(0, 6);
    expect(new Set(firstRound.map((f) => artistOf(f.id))).size).toBe(6);
    expect(firstRound.map((f) => f.score)).toEqual(firstRound.map((f) => f.score).sort((a, b) => b - a));
    expect(found.slice(6, 12).map((f) => artistOf(f.id))).toEqual(firstRound.map((f) => artistOf(f.id)));
    expect(found.filter((f) => f.sameArtist).every((f) => artistOf(f.id) === artistIds[0])).toBe(true);
    expect(found.some((f) => f.sameArtist)).toBe(true);
  });
});
