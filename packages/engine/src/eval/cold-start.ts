import type { DemoWorld } from "@deepcuts/demo";
import { ImplicitAls } from "@deepcuts/models/cf";
import { applyWhitening, columnStats, csrFromTriples, fitWhitening, seededRandom, standardiseColumns, type DenseMatrix } from "@deepcuts/models/core";
import { neighbourReport, type NeighbourReport } from "@deepcuts/models/eval";
import { AUDIO_WHITENING_SHRINKAGE, audioWhitening } from "../similarity/audio-scale.ts";
import { demoEvalWorld, demoSpectrograms, demoStreams, type DemoEvalWorldOptions } from "./demo-data.ts";

export interface ColdStartOptions extends DemoEvalWorldOptions {
  /** Clip length synthesized per track (default 8 s, as npm start). */
  seconds?: number;
  maxEpochs?: number;
  threads?: number;
  onProgress?: (message: string, done: number, total: number) => void;
}

export interface ColdStartResult {
  heldOutTracks: number;
  trainTracks: number;
  auc: { network: number; linearOnTrueFeatures: number; random: number };
  /**
   * Audio similarity as a curator sees it: top-10 cosine neighbours among every track the
   * network predicted, on its raw (unit-length) outputs and on their z-scores from the
   * catalogue's column statistics, and whitened by the catalogue's covariance at several
   * shrinkages (similarity/audio-scale.ts serves AUDIO_WHITENING_SHRINKAGE); label = genre.
   */
  neighbours: {
    tracks: number;
    raw: NeighbourReport;
    standardised: NeighbourReport;
    whitened: Record<string, NeighbourReport>;
    served: NeighbourReport & { shrinkage: number };
  };
  seconds: number;
}

/** Shrinkages of the whitening compared on the network's outputs (the similarity service uses AUDIO_WHITENING_SHRINKAGE). */
const WHITENING_SHRINKAGES = [0.01, 0.03, 0.1, 0.3, 1];

const PITCHES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

/** Tempo, key (circle of fifths, sin/cos) and mode, the demo's ground truth: the best any plain-feature model could read. */
function trueFeatures(world: DemoWorld, tracks: number[]): DenseMatrix {
  const cols = 4;
  const data = new Float32Array(tracks.length * cols);
  tracks.forEach((t, i) => {
    const track = world.tracks[t];
    const fifths = ((PITCHES.indexOf(track.musicalKey) * 7) % 12) * ((2 * Math.PI) / 12);
    data.set([Math.log(track.tempo), Math.sin(fifths), Math.cos(fifths), track.mode === "major" ? 1 : 0], i * cols);
  });
  return { rows: tracks.length, cols, data };
}

/**
 * The audio model's cold-start test on a demo world: 10% of the tracks with listeners are held
 * out of collaborative training entirely; ALS learns from the rest; the content network learns
 * those tracks' vectors from their synthesized audio; then for each held-out track the
 * listeners are ranked by their factors' dot product with the audio-predicted vector. AUC
 * against who really played it, beside a linear model on the true tempo, key and mode, and
 * random vectors.
 */
export async function evaluateColdStart(options: ColdStartOptions = {}): Promise<ColdStartResult> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => {});
  const world = demoEvalWorld(options);
  const { users, tracks: trackIndex, streams, listenersOf } = demoStreams(world);
  const random = seededRandom(options.seed ?? 42);
  const withListeners = world.tracks.map((_, t) => t).filter((t) => listenersOf[t].length > 0);
  const heldOut = new Set(withListeners.filter(() => random() < 0.1));
  const triples: [number, number, number][] = [];
  for (const [key, count] of streams) {
    const t = key % trackIndex.size;
    if (!heldOut.has(t)) triples.push([Math.floor(key / trackIndex.size), t, count]);
  }
  const train = csrFromTriples(users.size, trackIndex.size, {
    rows: Int32Array.from(triples, (x) => x[0]),
    cols: Int32Array.from(triples, (x) => x[1]),
    values: Float32Array.from(triples, (x) => x[2]),
  });
  progress("collaborative model without the held-out tracks", 0, 3);
  const als = await new ImplicitAls({ factors: 64, threads: options.threads, seed: options.seed ?? 42 }).fit(train);
  const { ContentNetwork, LinearFeatureModel, coldStartAuc } = await import("@deepcuts/models/audio/cnn");
  const trainable = withListeners.filter((t) => !heldOut.has(t) && listenersOf[t].length >= 5);
  const needed = [...trainable, ...heldOut];
  const spectrograms = await demoSpectrograms(world, needed, {
    seconds: options.seconds,
    onProgress: (done, total) => progress("synthesizing and transforming audio", done, total),
  });
  const k = als.itemFactors.cols;
  const targets = { rows: trainable.length, cols: k, data: new Float32Array(trainable.length * k) };
  trainable.forEach((t, i) => targets.data.set(als.itemFactors.data.subarray(t * k, t * k + k), i * k));
  const maxEpochs = options.maxEpochs ?? 40;
  const network = new ContentNetwork({ maxEpochs, seed: options.seed ?? 42 });
  await network.fit(
    trainable.map((t) => spectrograms.get(t)!),
    targets,
    { onEpoch: (epoch) => progress("training the content network", epoch, maxEpochs) },
  );
  const held = [...heldOut];
  const positives = held.map((t) => Int32Array.from(listenersOf[t]));
  const linear = new LinearFeatureModel().fit(trueFeatures(world, trainable), targets);
  const catalogue = network.predict(needed.map((t) => spectrograms.get(t)!));
  const genres = needed.map((t) => world.tracks[t].genre);
  const neighbours = {
    tracks: needed.length,
    raw: neighbourReport(catalogue, genres, 10),
    standardised: neighbourReport(standardiseColumns(catalogue, columnStats(catalogue)), genres, 10),
    served: { shrinkage: AUDIO_WHITENING_SHRINKAGE, ...neighbourReport(applyWhitening(catalogue, audioWhitening(catalogue)), genres, 10) },
    whitened: Object.fromEntries(
      WHITENING_SHRINKAGES.map((s) => [`shrinkage ${s}`, neighbourReport(applyWhitening(catalogue, fitWhitening(catalogue, s)), genres, 10)]),
    ),
  };
  const randomVectors = { rows: held.length, cols: k, data: Float32Array.from({ length: held.length * k }, () => random() - 0.5) };
  const result: ColdStartResult = {
    heldOutTracks: held.length,
    trainTracks: trainable.length,
    auc: {
      network: coldStartAuc(network.predict(held.map((t) => spectrograms.get(t)!)), als.userFactors, positives),
      linearOnTrueFeatures: coldStartAuc(linear.predict(trueFeatures(world, held)), als.userFactors, positives),
      random: coldStartAuc(randomVectors, als.userFactors, positives),
    },
    neighbours,
    seconds: (Date.now() - started) / 1000,
  };
  network.dispose();
  progress("done", 3, 3);
  return result;
}
