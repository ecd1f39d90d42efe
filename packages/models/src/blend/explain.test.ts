import { describe, expect, it } from "vitest";
import { EXPLAIN_HISTORY_LIMIT, explain, strongest } from "./explain.ts";
import { assembleModelState } from "./model-state.ts";
import type { ListenerHistory } from "./listener-history.ts";
import type { BlendSource } from "./weights.ts";

/**
 * 200 history tracks, each by its own artist (track index t is "song t" by "artist t+1"), and the
 * pick, index 200, by artist 999. Audio and text vectors are 2-d, at an angle from the pick's
 * (1, 0): the listener's 100 most played (played 10 times) lie at 0.9 rad except track 42 at 0.6;
 * the 100 played once lie at 1.2 rad except track 150, which points the pick's way exactly. The
 * same for the artists' text vectors (artist 43 at 0.6, artist 151 exactly the pick's).
 */
function world() {
  const angleOf = (t: number) => (t === 150 ? 0 : t === 42 ? 0.6 : t < 100 ? 0.9 : 1.2);
  const vector = (angle: number) => [Math.cos(angle), Math.sin(angle)];
  const tracks = Array.from({ length: 201 }, (_, t) => ({ id: t + 1, artist_id: t < 200 ? t + 1 : 999, title: `song ${t}` }));
  const artists = [...Array.from({ length: 200 }, (_, a) => ({ id: a + 1, name: `artist ${a + 1}` })), { id: 999, name: "the new one" }];
  const trackVectors = Float32Array.from(tracks.flatMap((_, t) => (t === 200 ? [1, 0] : vector(angleOf(t)))));
  const artistVectors = Float32Array.from(artists.flatMap((a) => (a.id === 999 ? [1, 0] : vector(angleOf(a.id - 1)))));
  const ids = (rows: { id: number }[]) => Int32Array.from(rows, (r) => r.id);
  const state = assembleModelState({
    tracks,
    artists,
    popularity: new Map(tracks.map((t) => [t.id, 5])),
    collaborative: null,
    audio: { versionId: 1, tracks: { ids: ids(tracks), matrix: { rows: 201, cols: 2, data: trackVectors } } },
    text: {
      versionId: 2,
      tracks: { ids: ids(tracks), matrix: { rows: 201, cols: 2, data: trackVectors } },
      artists: { ids: ids(artists), matrix: { rows: 201, cols: 2, data: artistVectors } },
    },
  });
  return { state, tracks };
}

/** A listener who played `played` (track indexes, in this order): the first 100 of the 200 ten times each, the others once. */
function listener(played: number[]) {
  const plays = (t: number) => (t < 100 ? 10 : 1);
  const history: ListenerHistory = {
    userId: 1,
    heard: new Map(played.map((t) => [t + 1, plays(t)])),
    avoidArtists: new Set(),
    skippedOnlyArtists: new Set(),
    knownArtists: new Map(played.map((t) => [t + 1, plays(t)])),
    seedArtists: [],
  };
  const basis: [number, number][] = played.map((t) => [t, Math.log1p(plays(t))]);
  return { history, basis };
}

const scores = (top: BlendSource): Record<BlendSource, number> => ({ collaborative: 0, text: 0, audio: 0, coMention: 0, popularity: 0, novelty: 0, [top]: 1 });
const all = Array.from({ length: 200 }, (_, t) => t);

describe("explain", () => {
  it("names the closest of the listener's most played tracks, not one they played once", () => {
    const { state } = world();
    expect(EXPLAIN_HISTORY_LIMIT).toBe(100);
    const { history, basis } = listener(all);
    // Track 150 points exactly the pick's way (1 x 1.069 with its play boost, against 0.825 x 1.240
    // for track 42), but it was played once: it is not among the 100 most played.
    expect(explain(state, history, basis, 200, scores("audio"), false)).toBe('sounds like "song 42" by artist 43');
    expect(explain(state, history, basis, 200, scores("text"), false)).toBe("described like artist 43");
  });

  it("looks through the whole history when it holds no more than the limit", () => {
    const { state } = world();
    const { history, basis } = listener(all.slice(100));
    expect(explain(state, history, basis, 200, scores("audio"), false)).toBe('sounds like "song 150" by artist 151');
    expect(explain(state, history, basis, 200, scores("text"), false)).toBe("described like artist 151");
  });

  it("gives a long history the reason its most played part gives", () => {
    const { state } = world();
    const long = listener(all);
    const top = listener(all.slice(0, 100));
    for (const source of ["audio", "text"] as const)
      expect(explain(state, long.history, long.basis, 200, scores(source), false)).toBe(explain(state, top.history, top.basis, 200, scores(source), false));
  });
});

describe("strongest", () => {
  it("keeps the heaviest entries in their own order, the earlier on ties", () => {
    const entries = [3, 9, 1, 9, 4, 7];
    expect(strongest(entries, (x) => x, 3)).toEqual([9, 9, 7]);
    expect(strongest(entries, (x) => x, 4)).toEqual([9, 9, 4, 7]);
    const tied = [
      { id: "a", w: 1 },
      { id: "b", w: 2 },
      { id: "c", w: 1 },
    ];
    expect(strongest(tied, (x) => x.w, 2).map((x) => x.id)).toEqual(["a", "b"]);
    expect(strongest(entries, (x) => x, 6)).toBe(entries);
  });
});
