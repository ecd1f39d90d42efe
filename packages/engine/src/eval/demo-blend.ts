import {
  assembleModelState,
  listenerHistoriesFromCsr,
  playlistRecall,
  weightsOnly,
  type BlendWeights,
  type ModelStateInput,
  type RecallResult,
} from "@deepcuts/models/blend";
import { ImplicitAls } from "@deepcuts/models/cf";
import { csrFromTriples, filterCsr, seededRandom, shuffle } from "@deepcuts/models/core";
import { holdoutSplit, validationSplit } from "@deepcuts/models/eval";
import { artistKey, culturalArtistOf, culturalVectors, trackKey } from "../training/text.ts";
import { demoArticleMentions } from "./demo-co-mention.ts";
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
  /** Co-mention weights tried on validation once the others are chosen (default 0, 0.1, 0.2, 0.3, 0.5, 1). */
  coMentionGrid?: number[];
  onProgress?: (message: string, done: number, total: number) => void;
}

export interface DemoBlendResult {
  world: { listeners: number; tracks: number; seed: number };
  heldOutListening: number;
  tracksNewToCollaborative: number;
  brandNewTracks: number;
  /** Chosen on the validation split, never on the test split. */
  weights: BlendWeights;
  validation: { weights: BlendWeights; recall: number }[];
  /** Validation recall of each co-mention weight, the other weights as chosen with co-mention 0. */
  coMentionValidation: { coMention: number; recall: number }[];
  /** Recall of real held-out listening in the 30-track playlists of each way of ranking. */
  test: {
    collaborativeAlone: RecallResult;
    popularityAlone: RecallResult;
    blendWithoutAudio: RecallResult;
    /** The chosen blend with co-mention weight 0 (the same as `blend` when 0 was chosen). */
    blendWithoutCoMention: RecallResult;
    blend: RecallResult;
  };
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

/**
 * The weekly blend on a demo world, on held-out listening, through the product's own engine
 * (`pickForListener` with the default constraints). Protocol: 10% of the tracks with listeners
 * are held out of collaborative training entirely (new to that model, as a fresh release is);
 * of the rest, each listener holds out 20% (the collaborative protocol); the validation split is
 * carved from what remains the same way (another 10% of tracks, then 20% per listener). ALS learns from training minus validation; the text model from
 * the world's documents; co-mention from the world's generated articles; the content network
 * from the audio of tracks with at least 5 listeners in that training data. Blend weights are
 * chosen on validation (co-mention last, over the others' choice); the test compares the 30-track
 * playlists of collaborative filtering alone, popularity alone, the blend without audio, without
 * co-mention, and the full blend. Brand-new tracks (no listens at all) are checked against the
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
  text.fitDense({ seed });
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
  // Co-mention vectors from the world's generated articles, as `deepcuts train --model co-mention` makes them.
  const { coMentionVectors } = await import("@deepcuts/models/text");
  const coMention = coMentionVectors(demoArticleMentions(world).mentions, { seed });
  base.coMention = { versionId: 4, artists: { ids: Int32Array.from(coMention.artists, (column) => column + 1), matrix: coMention.vectors } };
  const full = assembleModelState(base);
  const withoutAudio = assembleModelState({ ...base, audio: null });
  const collaborativeOnly = assembleModelState({ ...base, audio: null, text: null, coMention: null });

  // Weights on validation: histories without the validation items, which are the answers.
  const validationHistory = listenerHistoriesFromCsr(validation.train, artistOfTrack);
  const order = Int32Array.from({ length: users.size }, (_, u) => u);
  shuffle(order, seededRandom(seed + 1));
  const validationListeners = Array.from(order)
    .filter((u) => validationRelevant[u].size > 0)
    .slice(0, options.validationListeners ?? 400);
  const grid = options.grid ?? { text: [0, 0.25, 0.5, 1], audio: [0, 0.25, 0.5, 1], popularity: [0, 0.25, 0.5, 1] };
  const tried: { weights: BlendWeights; recall: number }[] = [];
  const settings = grid.text.flatMap((t) =>
    grid.audio.flatMap((a) => grid.popularity.map((p) => weightsOnly({ collaborative: 1, text: t, audio: a, popularity: p }))),
  );
  for (const [i, weights] of settings.entries()) {
    progress(`validation: text ${weights.text}, audio ${weights.audio}, popularity ${weights.popularity}`, i, settings.length);
    tried.push({ weights, recall: playlistRecall(full, weights, validationListeners, validationHistory, validationRelevant, newToCfValidation).recall });
  }
  tried.sort((a, b) => b.recall - a.recall);
  // Co-mention on top of the chosen blend; a weight is kept only if it beats every smaller one.
  const coMentionValidation: { coMention: number; recall: number }[] = [];
  for (const coMention of options.coMentionGrid ?? [0, 0.1, 0.2, 0.3, 0.5, 1]) {
    progress(`validation: co-mention ${coMention}`, coMentionValidation.length, 6);
    const weights = { ...tried[0].weights, coMention };
    coMentionValidation.push({
      coMention,
      recall: playlistRecall(full, weights, validationListeners, validationHistory, validationRelevant, newToCfValidation).recall,
    });
  }
  const bestCoMention = coMentionValidation.reduce((best, x) => (x.recall > best.recall ? x : best), { coMention: 0, recall: -Infinity });
  const chosen = { ...tried[0].weights, coMention: bestCoMention.coMention };

  // Test: histories are all training listening (validation items included, so never recommended).
  progress("test", 0, 4);
  const testHistory = listenerHistoriesFromCsr(split.train, artistOfTrack);
  const testListeners = Array.from({ length: users.size }, (_, u) => u);
  const blendPicks = new Map<number, number[]>();
  const test = {
    collaborativeAlone: playlistRecall(collaborativeOnly, weightsOnly({ collaborative: 1 }), testListeners, testHistory, relevant, newToCf),
    popularityAlone: playlistRecall(collaborativeOnly, weightsOnly({ popularity: 1 }), testListeners, testHistory, relevant, newToCf),
    blendWithoutAudio: playlistRecall(withoutAudio, { ...chosen, audio: 0 }, testListeners, testHistory, relevant, newToCf),
    blendWithoutCoMention: playlistRecall(full, { ...chosen, coMention: 0 }, testListeners, testHistory, relevant, newToCf),
    blend: playlistRecall(full, chosen, testListeners, testHistory, relevant, newToCf, blendPicks),
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
    coMentionValidation,
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
