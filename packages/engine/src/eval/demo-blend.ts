import { ImplicitAls } from "@deepcuts/models/cf";
import { csrFromTriples, filterCsr, seededRandom, shuffle, type Csr } from "@deepcuts/models/core";
import { holdoutSplit, validationSplit } from "@deepcuts/models/eval";
import { artistKey, culturalArtistOf, culturalVectors, trackKey } from "../training/text.ts";
import { defaultBlendConstraints, type BlendWeights } from "../weekly/blend-config.ts";
import { pickForListener } from "../weekly/engine.ts";
import type { ListenerHistory } from "../weekly/histories.ts";
import { assembleModelState, type ModelState, type ModelStateInput } from "../weekly/model-state.ts";
import { demoEvalWorld, demoSpectrograms, demoStreams, type DemoEvalWorldOptions } from "./demo-data.ts";

export interface DemoBlendOptions extends DemoEvalWorldOptions {
  /** Clip length synthesized per track (default 8 s, as npm start). */
  seconds?: number;
  maxEpochs?: number;
  threads?: number;
  /** Listeners scored per weight setting on the validation split (default 400). */
  validationListeners?: number;
  /** Weights tried on the validation split (collaborative stays 1, novelty 0). */
  grid?: { text: number[]; audio: number[]; popularity: number[] };
  onProgress?: (message: string, done: number, total: number) => void;
}

/** Recall of real held-out listening in the 30-track playlists one way of ranking makes. */
export interface ArmResult {
  /** Mean over listeners of hits / min(30, held-out tracks). */
  recall: number;
  /** The same, counting only tracks the collaborative model never saw played (held out of its training entirely). */
  recallNewToCollaborative: number;
  hits: number;
  listeners: number;
}

export interface DemoBlendResult {
  world: { listeners: number; tracks: number; seed: number };
  heldOutListening: number;
  tracksNewToCollaborative: number;
  brandNewTracks: number;
  /** Chosen on the validation split, never on the test split. */
  weights: BlendWeights;
  validation: { weights: BlendWeights; recall: number }[];
  test: { collaborativeAlone: ArmResult; popularityAlone: ArmResult; blendWithoutAudio: ArmResult; blend: ArmResult };
  /** Brand-new tracks (no listens at all) in the blend's playlists, and how well they fit their listeners' taste. */
  brandNew: {
    appearances: number;
    listenersReached: number;
    /** Mean taste weight of the listener for the track's genre (the demo's ground truth). */
    meanTasteFit: number;
    /** The same if each appearance had gone to a random test listener. */
    randomTasteFit: number;
    /** Share of appearances in one of the listener's two main genres, and the random share. */
    mainGenreShare: number;
    randomMainGenreShare: number;
  };
  seconds: number;
}

const SIZE = defaultBlendConstraints.playlistSize;
const cfOnly = (w: Partial<BlendWeights>): BlendWeights => ({ collaborative: 0, text: 0, audio: 0, popularity: 0, novelty: 0, ...w });

/** Rows of a listener x track matrix as the weekly engine's listener history (track id = index + 1). */
function histories(matrix: Csr, artistOfTrack: Int32Array): ListenerHistory[] {
  return Array.from({ length: matrix.rows }, (_, u) => {
    const heard = new Map<number, number>();
    const knownArtists = new Map<number, number>();
    for (let k = matrix.indptr[u]; k < matrix.indptr[u + 1]; k++) {
      const t = matrix.indices[k];
      heard.set(t + 1, matrix.data[k]);
      knownArtists.set(artistOfTrack[t], (knownArtists.get(artistOfTrack[t]) ?? 0) + matrix.data[k]);
    }
    return { userId: u, heard, avoidArtists: new Set(), skippedOnlyArtists: new Set(), knownArtists, seedArtists: [] };
  });
}

function scoreArm(
  state: ModelState,
  weights: BlendWeights,
  listeners: number[],
  history: ListenerHistory[],
  relevant: Set<number>[],
  newToCf: Set<number>,
  picks?: Map<number, number[]>,
): ArmResult {
  let recall = 0,
    recallNew = 0,
    counted = 0,
    countedNew = 0,
    hits = 0;
  for (const u of listeners) {
    if (relevant[u].size === 0) continue;
    const items = pickForListener(state, history[u], weights, defaultBlendConstraints).items.map((i) => i.trackId - 1);
    picks?.set(u, items);
    const got = items.filter((t) => relevant[u].has(t)).length;
    hits += got;
    recall += got / Math.min(SIZE, relevant[u].size);
    counted++;
    const relNew = [...relevant[u]].filter((t) => newToCf.has(t));
    if (relNew.length) {
      recallNew += items.filter((t) => newToCf.has(t) && relevant[u].has(t)).length / Math.min(SIZE, relNew.length);
      countedNew++;
    }
  }
  return { recall: counted ? recall / counted : 0, recallNewToCollaborative: countedNew ? recallNew / countedNew : 0, hits, listeners: counted };
}

/**
 * The weekly blend on a demo world, on held-out listening, through the product's own engine
 * (`pickForListener` with the default constraints). Protocol: 10% of the tracks with listeners
 * are held out of collaborative training entirely (new to that model, as a fresh release is);
 * of the rest, each listener holds out 20% (the collaborative protocol); the validation split is
 * carved from what remains the same way (another 10% of tracks, then 20% per listener). ALS learns from training minus validation; the text model from
 * the world's documents; the content network from the audio of tracks with at least 5
 * listeners in that training data. Blend weights are chosen on validation; the test compares
 * the 30-track playlists of collaborative filtering alone, popularity alone, the blend without
 * audio and the full blend. Brand-new tracks (no listens at all) are checked against the
 * demo's ground truth: the taste of the listeners whose playlists they reach.
 */
export async function evaluateDemoBlend(options: DemoBlendOptions = {}): Promise<DemoBlendResult> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => {});
  const seed = options.seed ?? 42;
  const world = demoEvalWorld(options);
  const { users, tracks: trackIndex, streams, listenersOf } = demoStreams(world);
  const T = trackIndex.size;
  const random = seededRandom(seed);
  const newToCf = new Set(world.tracks.map((_, t) => t).filter((t) => listenersOf[t].length > 0 && random() < 0.1));
  const kept: [number, number, number][] = [];
  const relevant = world.users.map(() => new Set<number>());
  for (const [key, count] of streams) {
    const u = Math.floor(key / T),
      t = key % T;
    if (newToCf.has(t)) relevant[u].add(t);
    else kept.push([u, t, count]);
  }
  const all = csrFromTriples(users.size, T, {
    rows: Int32Array.from(kept, (x) => x[0]),
    cols: Int32Array.from(kept, (x) => x[1]),
    values: Float32Array.from(kept, (x) => x[2]),
  });
  const split = holdoutSplit(all, { seed });
  split.test.forEach((items, u) => items.forEach((t) => relevant[u].add(t)));
  // Validation mirrors the test: another 10% of tracks new to the collaborative model, then 20% per listener.
  const newToCfValidation = new Set(world.tracks.map((_, t) => t).filter((t) => !newToCf.has(t) && listenersOf[t].length > 0 && random() < 0.1));
  const validation = validationSplit(
    filterCsr(split.train, (track) => !newToCfValidation.has(track)),
    { seed },
  );
  const validationRelevant = validation.test.map((items) => new Set(items));
  for (let u = 0; u < split.train.rows; u++) {
    for (let p = split.train.indptr[u]; p < split.train.indptr[u + 1]; p++)
      if (newToCfValidation.has(split.train.indices[p])) validationRelevant[u].add(split.train.indices[p]);
  }

  progress("collaborative model", 0, 4);
  const als = await new ImplicitAls({ factors: 64, threads: options.threads, seed }).fit(validation.train);

  progress("text model", 1, 4);
  const artistIndex = new Map(world.artists.map((a, i) => [a.key, i + 1]));
  const artistOfTrack = Int32Array.from(world.tracks, (t) => artistIndex.get(t.artistKey)!);
  const trackNumber = new Map(world.tracks.map((t, i) => [t.key, i + 1]));
  const { CulturalModel } = await import("@deepcuts/models/text");
  const text = new CulturalModel({ artistOf: culturalArtistOf((id) => artistOfTrack[id - 1]) });
  await text.addDocuments(
    world.documents.map((d) => ({
      entityId: d.entityKind === "artist" ? artistKey(artistIndex.get(d.entityKey)!) : trackKey(trackNumber.get(d.entityKey)!),
      kind: d.entityKind,
      text: d.text,
    })),
  );
  text.fitDense({ dims: 200, seed });
  const textVectors = culturalVectors(
    text,
    world.tracks.map((_, t) => t + 1),
  );

  const fitListeners = new Int32Array(T);
  for (const t of validation.train.indices) fitListeners[t]++;
  const trainable = world.tracks.map((_, t) => t).filter((t) => fitListeners[t] >= 5);
  const spectrograms = await demoSpectrograms(
    world,
    world.tracks.map((_, t) => t),
    {
      seconds: options.seconds,
      onProgress: (done, total) => progress(`synthesizing and transforming audio ${done}/${total}`, 2, 4),
    },
  );
  const { ContentNetwork } = await import("@deepcuts/models/audio/cnn");
  const k = als.itemFactors.cols;
  const targets = { rows: trainable.length, cols: k, data: new Float32Array(trainable.length * k) };
  trainable.forEach((t, i) => targets.data.set(als.itemFactors.data.subarray(t * k, t * k + k), i * k));
  const maxEpochs = options.maxEpochs ?? 40;
  const network = new ContentNetwork({ maxEpochs, seed });
  await network.fit(
    trainable.map((t) => spectrograms.get(t)!),
    targets,
    { onEpoch: (epoch) => progress(`content network, epoch ${epoch}`, 3, 4) },
  );
  const predicted = network.predict(world.tracks.map((_, t) => spectrograms.get(t)!));
  network.dispose();

  const base: ModelStateInput = {
    tracks: world.tracks.map((t, i) => ({ id: i + 1, artist_id: artistOfTrack[i], title: t.title })),
    artists: world.artists.map((a, i) => ({ id: i + 1, name: a.name })),
    popularity: new Map(Array.from(fitListeners, (n, t) => [t + 1, n])),
    collaborative: {
      versionId: 1,
      model: als,
      userIds: Int32Array.from({ length: users.size }, (_, u) => u),
      itemTrackIds: Int32Array.from({ length: T }, (_, t) => t + 1),
    },
    text: { versionId: 2, tracks: textVectors.tracks, artists: textVectors.artists },
    audio: { versionId: 3, tracks: { ids: Int32Array.from({ length: T }, (_, t) => t + 1), matrix: predicted } },
  };
  const full = assembleModelState(base);
  const withoutAudio = assembleModelState({ ...base, audio: null });
  const collaborativeOnly = assembleModelState({ ...base, audio: null, text: null });

  // Weights on validation: histories without the validation items, which are the answers.
  const validationHistory = histories(validation.train, artistOfTrack);
  const order = Int32Array.from({ length: users.size }, (_, u) => u);
  shuffle(order, seededRandom(seed + 1));
  const validationListeners = Array.from(order)
    .filter((u) => validationRelevant[u].size > 0)
    .slice(0, options.validationListeners ?? 400);
  const grid = options.grid ?? { text: [0, 0.25, 0.5, 1], audio: [0, 0.25, 0.5, 1], popularity: [0, 0.25, 0.5, 1] };
  const tried: { weights: BlendWeights; recall: number }[] = [];
  const settings = grid.text.flatMap((t) =>
    grid.audio.flatMap((a) => grid.popularity.map((p) => cfOnly({ collaborative: 1, text: t, audio: a, popularity: p }))),
  );
  for (const [i, weights] of settings.entries()) {
    progress(`validation: text ${weights.text}, audio ${weights.audio}, popularity ${weights.popularity}`, i, settings.length);
    tried.push({ weights, recall: scoreArm(full, weights, validationListeners, validationHistory, validationRelevant, newToCfValidation).recall });
  }
  tried.sort((a, b) => b.recall - a.recall);
  const chosen = tried[0].weights;

  // Test: histories are all training listening (validation items included, so never recommended).
  progress("test", 0, 4);
  const testHistory = histories(split.train, artistOfTrack);
  const testListeners = Array.from({ length: users.size }, (_, u) => u);
  const blendPicks = new Map<number, number[]>();
  const test = {
    collaborativeAlone: scoreArm(collaborativeOnly, cfOnly({ collaborative: 1 }), testListeners, testHistory, relevant, newToCf),
    popularityAlone: scoreArm(collaborativeOnly, cfOnly({ popularity: 1 }), testListeners, testHistory, relevant, newToCf),
    blendWithoutAudio: scoreArm(withoutAudio, { ...chosen, audio: 0 }, testListeners, testHistory, relevant, newToCf),
    blend: scoreArm(full, chosen, testListeners, testHistory, relevant, newToCf, blendPicks),
  };

  // Brand-new tracks: do they reach listeners whose taste they fit?
  const brandNew = new Set(world.tracks.map((t, i) => (t.isColdStart ? i : -1)).filter((i) => i >= 0));
  const taste = (u: number, genre: string) => world.users[u].tasteGenres.find((g) => g.genre === genre)?.weight ?? 0;
  const main = (u: number, genre: string) => world.users[u].tasteGenres.slice(0, 2).some((g) => g.genre === genre);
  let appearances = 0,
    fit = 0,
    mainHits = 0;
  const reached = new Set<number>();
  for (const [u, items] of blendPicks) {
    for (const t of items) {
      if (!brandNew.has(t)) continue;
      appearances++;
      reached.add(u);
      fit += taste(u, world.tracks[t].genre);
      if (main(u, world.tracks[t].genre)) mainHits++;
    }
  }
  let randomFit = 0,
    randomMain = 0,
    pairs = 0;
  for (const u of blendPicks.keys()) {
    for (const t of brandNew) {
      randomFit += taste(u, world.tracks[t].genre);
      if (main(u, world.tracks[t].genre)) randomMain++;
      pairs++;
    }
  }
  progress("done", 4, 4);
  return {
    world: { listeners: users.size, tracks: T, seed },
    heldOutListening: relevant.reduce((a, s) => a + s.size, 0),
    tracksNewToCollaborative: newToCf.size,
    brandNewTracks: brandNew.size,
    weights: chosen,
    validation: tried.slice(0, 5),
    test,
    brandNew: {
      appearances,
      listenersReached: reached.size,
      meanTasteFit: appearances ? fit / appearances : 0,
      randomTasteFit: pairs ? randomFit / pairs : 0,
      mainGenreShare: appearances ? mainHits / appearances : 0,
      randomMainGenreShare: pairs ? randomMain / pairs : 0,
    },
    seconds: (Date.now() - started) / 1000,
  };
}
