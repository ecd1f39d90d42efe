import { describe, expect, it } from "vitest";
import { ImplicitAls } from "@deepcuts/models/cf";
import { gaussian, seededRandom } from "@deepcuts/models/core";
import {
  assembleModelState,
  defaultBlendConstraints,
  defaultBlendWeights,
  explorationRandom,
  pickForListener,
  stateDots,
  type BlendWeights,
  type ListenerHistory,
} from "@deepcuts/models/blend";
import { pickForListeners, scorerBackend } from "./batch.ts";

/** A small world built in memory: 1,500 tracks by 150 artists, ALS on random plays, text and co-mention vectors, popularity. */
async function world(seed: number) {
  const random = seededRandom(seed);
  const tracks = Array.from({ length: 1500 }, (_, i) => ({ id: i + 1, artist_id: 1 + (i % 150), title: `t${i}` }));
  const artists = Array.from({ length: 150 }, (_, a) => ({ id: a + 1, name: `artist ${a}` }));
  const listeners = 120;
  const plays: [number, number, number][] = [];
  for (let u = 0; u < listeners; u++) {
    const taste = Math.floor(random() * 150);
    for (let e = 0; e < 40; e++) {
      const artist = random() < 0.7 ? (taste + Math.floor(random() * 5)) % 150 : Math.floor(random() * 150);
      plays.push([u, artist + 150 * Math.floor(random() * 10), 1 + Math.floor(random() * 5)]);
    }
  }
  const userItems = new Map<number, Map<number, number>>();
  for (const [u, i, n] of plays) {
    const row = userItems.get(u) ?? new Map();
    row.set(i, (row.get(i) ?? 0) + n);
    userItems.set(u, row);
  }
  const indptr = [0],
    indices: number[] = [],
    data: number[] = [];
  for (let u = 0; u < listeners; u++) {
    const row = [...(userItems.get(u) ?? new Map()).entries()].sort((a, b) => a[0] - b[0]);
    for (const [i, n] of row) {
      indices.push(i);
      data.push(n);
    }
    indptr.push(indices.length);
  }
  const model = new ImplicitAls({ factors: 16, iterations: 4, random: seededRandom(seed + 1) });
  await model.fit({ rows: listeners, cols: 1500, indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float32Array.from(data) });
  const textDim = 12;
  const textTracks = Float32Array.from({ length: 1500 * textDim }, () => gaussian(random));
  const textArtists = Float32Array.from({ length: 150 * textDim }, () => gaussian(random));
  // Co-mention vectors for 120 of the 150 artists (the rest are named in no article).
  const coDim = 8;
  const coArtists = Float32Array.from({ length: 120 * coDim }, () => gaussian(random));
  const popularity = new Map(tracks.map((t) => [t.id, Math.floor(random() * 50)]));
  const state = assembleModelState({
    tracks,
    artists,
    popularity,
    collaborative: {
      versionId: 1,
      model,
      userIds: Int32Array.from({ length: listeners }, (_, u) => 1000 + u),
      itemTrackIds: Int32Array.from(tracks, (t) => t.id),
    },
    text: {
      versionId: 2,
      tracks: { ids: Int32Array.from(tracks, (t) => t.id), matrix: { rows: 1500, cols: textDim, data: textTracks } },
      artists: { ids: Int32Array.from(artists, (a) => a.id), matrix: { rows: 150, cols: textDim, data: textArtists } },
    },
    audio: null,
    coMention: { versionId: 3, artists: { ids: Int32Array.from({ length: 120 }, (_, a) => a + 1), matrix: { rows: 120, cols: coDim, data: coArtists } } },
  });
  const histories: ListenerHistory[] = [];
  for (let u = 0; u < listeners; u++) {
    const heard = new Map([...(userItems.get(u) ?? new Map()).entries()].map(([i, n]) => [i + 1, n]));
    const knownArtists = new Map<number, number>();
    for (const [t, n] of heard) knownArtists.set(tracks[t - 1].artist_id, (knownArtists.get(tracks[t - 1].artist_id) ?? 0) + n);
    const avoidArtists = new Set<number>(u % 3 === 0 ? [1 + ((u * 7) % 150)] : []);
    histories.push({ userId: 1000 + u, heard, avoidArtists, skippedOnlyArtists: new Set(), knownArtists, seedArtists: [] });
  }
  // Two listeners the model never saw: one with history (folded in), one cold with seed artists.
  histories.push({ ...histories[5], userId: 5000 });
  histories.push({ userId: 5001, heard: new Map(), avoidArtists: new Set(), skippedOnlyArtists: new Set(), knownArtists: new Map(), seedArtists: [3, 4] });
  return { state, histories };
}

describe("pickForListeners (batched, native top-k)", () => {
  const built = world(11);
  const cases: [string, BlendWeights][] = [
    ["default weights", defaultBlendWeights],
    ["with novelty and more popularity", { ...defaultBlendWeights, popularity: 0.5, novelty: 0.4 }],
    ["with a negative novelty weight", { ...defaultBlendWeights, novelty: -0.3 }],
    ["with co-mention", { ...defaultBlendWeights, coMention: 0.8 }],
  ];
  for (const [name, weights] of cases) {
    it(`makes the same playlists as the exhaustive path, ${name}`, async () => {
      const { state, histories } = await built;
      for (const backend of ["auto", "fallback"] as const) {
        const batched = await pickForListeners(state, histories, weights, defaultBlendConstraints, { backend });
        expect(batched.filter((p) => p.items.length === 30).length).toBeGreaterThan(100);
        histories.forEach((h, u) => {
          const one = pickForListener(state, h, weights, defaultBlendConstraints);
          expect(batched[u].status).toBe(one.status);
          expect(batched[u].items.map((x) => x.trackId)).toEqual(one.items.map((x) => x.trackId));
          batched[u].items.forEach((x, j) => {
            expect(x.score).toBeCloseTo(one.items[j].score, 4);
            expect(x.reason).toBe(one.items[j].reason);
          });
        });
      }
    });
  }

  it("scores co-mention by the track's artist: 0 contribution without a vector, and it changes the playlists", async () => {
    const { state, histories } = await built;
    const weights = { ...defaultBlendWeights, coMention: 0.8 };
    const withCoMention = await pickForListeners(state, histories, weights, defaultBlendConstraints);
    const without = await pickForListeners(state, histories, { ...weights, coMention: 0 }, defaultBlendConstraints);
    let changed = 0,
      explained = 0,
      unnamed = 0;
    withCoMention.forEach((p, u) => {
      if (p.items.map((x) => x.trackId).join() !== without[u].items.map((x) => x.trackId).join()) changed++;
      // A track whose artist no article names scores 0: the same part for all of them in one playlist.
      const zeroPart = new Set(p.items.filter((x) => state.artistOf[state.indexOfTrack.get(x.trackId)!] > 120).map((x) => x.scores.coMention.toFixed(5)));
      expect(zeroPart.size).toBeLessThanOrEqual(1);
      unnamed += zeroPart.size;
      explained += p.items.filter((x) => x.reason.startsWith("written about with the same artists as ")).length;
    });
    expect(unnamed).toBeGreaterThan(0);
    expect(state.versions.CO_MENTION).toBe(3);
    expect(changed).toBeGreaterThan(histories.length / 2);
    expect(explained).toBeGreaterThan(0);
  });

  it("makes the same playlists, to the last bit of every score, with the dot products in WebAssembly or in JavaScript", async () => {
    const { state, histories } = await built;
    const weights = { ...defaultBlendWeights, coMention: 0.8, novelty: 0.2 };
    // Fresh seeded draws for each run (a Random moves on as it draws).
    const exploration = () => histories.map((h) => explorationRandom(h.userId, "2026-12-07", 1));
    const make = async () => ({
      batched: await pickForListeners(state, histories, weights, defaultBlendConstraints, { exploration: exploration() }),
      one: histories.map((h) => pickForListener(state, h, weights, defaultBlendConstraints)),
    });
    expect(stateDots(state).holds(state.collaborative!.unitItems)).toBe(true);
    const inWasm = await make();
    process.env.DEEPCUTS_WASM_DOTS = "0";
    try {
      expect(stateDots(state).holds(state.collaborative!.unitItems)).toBe(false);
      const inJs = await make();
      expect(inWasm).toEqual(inJs);
    } finally {
      delete process.env.DEEPCUTS_WASM_DOTS;
    }
    expect(inWasm.batched.flatMap((p) => p.items).filter((x) => x.explored).length).toBeGreaterThan(0);
  });

  it("draws the same exploration slots as the exhaustive path, and reports where its time went", async () => {
    const { state, histories } = await built;
    const week = "2026-11-30";
    const timings = { setup: 0, scoring: 0, selection: 0, blendAndMmr: 0 };
    const batched = await pickForListeners(state, histories, defaultBlendWeights, defaultBlendConstraints, {
      exploration: histories.map((h) => explorationRandom(h.userId, week, 3)),
      timings,
    });
    let explored = 0;
    histories.forEach((h, u) => {
      const one = pickForListener(state, h, defaultBlendWeights, defaultBlendConstraints, { exploration: explorationRandom(h.userId, week, 3) });
      expect(batched[u].items.map((x) => [x.trackId, x.explored, x.propensity])).toEqual(one.items.map((x) => [x.trackId, x.explored, x.propensity]));
      explored += one.items.filter((x) => x.explored).length;
    });
    expect(explored).toBeGreaterThan(histories.length);
    expect(timings.scoring).toBeGreaterThan(0);
    expect(timings.blendAndMmr).toBeGreaterThan(0);
  });

  it("takes its backend from DEEPCUTS_SCORER, and names a wrong value", () => {
    expect(scorerBackend({})).toBe("auto");
    expect(scorerBackend({ DEEPCUTS_SCORER: "fallback" })).toBe("fallback");
    expect(() => scorerBackend({ DEEPCUTS_SCORER: "gpu" })).toThrow(/DEEPCUTS_SCORER must be auto, native or fallback, got 'gpu'/);
  });
});
