import type { Database } from "@deepcuts/db";
import { dequantizeBytes } from "@deepcuts/db";
import type { DenseMatrix } from "@deepcuts/models/core";
import { audioWhitening, SIMILARITY_WHITENING_KEY } from "../similarity/audio-scale.ts";
import { MEL_RANGE } from "../audio/analyse-tracks.ts";
import { activeModelVersion, beginModelVersion, failModelVersion, finishModelVersion } from "./model-versions.ts";
import { loadVectors, storeVectors } from "./vector-store.ts";
import type { Progress } from "../progress.ts";

const PITCHES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

interface AnalysedTrack {
  track_id: number;
  tempo: number;
  key: string;
  mode: string;
  key_strength: number;
  loudness: number;
  danceability: number;
  energy: number;
  dynamic_complexity: number;
  onset_rate: number;
}

/**
 * Plain features as numbers: log tempo, key on the circle of fifths (sin, cos, so B and C are
 * neighbours), mode, key strength, loudness, danceability, log energy, dynamic complexity, onset
 * rate; each column standardised so no unit dominates a distance.
 */
export function featureMatrix(rows: AnalysedTrack[]): DenseMatrix {
  const cols = 10;
  const data = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => {
    const fifths = ((PITCHES.indexOf(r.key) * 7) % 12) * ((2 * Math.PI) / 12);
    const v = [
      Math.log(Math.max(r.tempo, 1)),
      Math.sin(fifths),
      Math.cos(fifths),
      r.mode === "major" ? 1 : 0,
      r.key_strength,
      r.loudness,
      r.danceability,
      Math.log(Math.max(r.energy, 1e-9)),
      r.dynamic_complexity,
      r.onset_rate,
    ];
    data.set(
      v.map((x) => (Number.isFinite(x) ? x : 0)),
      i * cols,
    );
  });
  for (let c = 0; c < cols; c++) {
    let sum = 0,
      sq = 0;
    for (let i = 0; i < rows.length; i++) sum += data[i * cols + c];
    const mean = rows.length ? sum / rows.length : 0;
    for (let i = 0; i < rows.length; i++) sq += (data[i * cols + c] - mean) ** 2;
    const std = rows.length > 1 ? Math.sqrt(sq / rows.length) : 1;
    for (let i = 0; i < rows.length; i++) data[i * cols + c] = std > 1e-9 ? (data[i * cols + c] - mean) / std : 0;
  }
  return { rows: rows.length, cols, data };
}

/** AUDIO_FEATURES: the standardised plain features of every analysed track, as its vector. */
export async function trainAudioFeatures(db: Database, onProgress: Progress = () => {}) {
  const rows = await db.query<AnalysedTrack>(
    `SELECT track_id, tempo, key, mode, key_strength, loudness, danceability, energy, dynamic_complexity, onset_rate
     FROM audio_analyses WHERE status = 'OK' ORDER BY track_id`,
  );
  if (rows.length === 0) throw new Error("no analysed audio yet: run 'deepcuts analyse all' first");
  const id = await beginModelVersion(db, "AUDIO_FEATURES", {
    features: ["log tempo", "key sin", "key cos", "mode", "key strength", "loudness", "danceability", "log energy", "dynamic complexity", "onset rate"],
  });
  try {
    onProgress("storing feature vectors", 0, 1);
    await storeVectors(
      db,
      id,
      "TRACK",
      rows.map((r) => r.track_id),
      featureMatrix(rows),
    );
    await finishModelVersion(db, id, { metrics: { tracks: rows.length } });
    onProgress("done", 1, 1);
    return { id, metrics: { tracks: rows.length } };
  } catch (error) {
    await failModelVersion(db, id, error as Error);
    throw error;
  }
}

/**
 * AUDIO_CNN: the content network learns to predict the active ALS version's (L2-normalised)
 * track vectors from log-mel spectrograms, on tracks with at least `minListeners` listeners;
 * then every analysed track, played or brand new, gets an audio-predicted collaborative vector.
 * The version's metrics: validation loss against predicting the mean, and the AUC of ranking
 * listeners by the predicted vectors for tracks the network never trained on.
 */
export async function trainAudioNetwork(
  db: Database,
  options: { minListeners?: number; maxEpochs?: number; onProgress?: Progress; signal?: AbortSignal } = {},
) {
  const onProgress = options.onProgress ?? (() => {});
  const als = await activeModelVersion(db, "ALS");
  if (!als) throw new Error("the audio network learns collaborative vectors: train ALS first ('deepcuts train --model als')");
  const analysed = await db.query<{ track_id: number; mel_spectrogram: Uint8Array; mel_bands: number; mel_frames: number; listeners: number }>(
    `SELECT a.track_id, a.mel_spectrogram, a.mel_bands, a.mel_frames,
            (SELECT count(*) FROM user_track_stats s WHERE s.track_id = a.track_id AND s.streams > 0)::int AS listeners
     FROM audio_analyses a WHERE a.status = 'OK' AND a.mel_spectrogram IS NOT NULL ORDER BY a.track_id`,
  );
  if (analysed.length === 0) throw new Error("no analysed audio yet: run 'deepcuts analyse all' first");
  const { ContentNetwork, coldStartAuc } = await import("@deepcuts/models/audio/cnn");
  const spectrogram = (r: (typeof analysed)[number]) => ({
    bands: r.mel_bands,
    frames: r.mel_frames,
    data: dequantizeBytes(r.mel_spectrogram, MEL_RANGE.min, MEL_RANGE.max),
  });
  const itemVectors = await loadVectors(db, als.id, "TRACK");
  const rowOf = new Map(Array.from(itemVectors.ids, (id, r) => [id, r]));
  const k = itemVectors.matrix.cols;
  const minListeners = options.minListeners ?? 5;
  const trainable = analysed.filter((r) => r.listeners >= minListeners && rowOf.has(r.track_id));
  // Every tenth trainable track is kept from the network to measure it on tracks it never saw.
  const unseen = trainable.filter((_, i) => i % 10 === 0);
  const seen = trainable.filter((_, i) => i % 10 !== 0);
  const targets = (rows: typeof trainable) => {
    const data = new Float32Array(rows.length * k);
    rows.forEach((r, i) => data.set(itemVectors.matrix.data.subarray(rowOf.get(r.track_id)! * k, (rowOf.get(r.track_id)! + 1) * k), i * k));
    return { rows: rows.length, cols: k, data };
  };
  const params = { maxEpochs: options.maxEpochs ?? 40, backend: "auto" as const, seed: 42 };
  const id = await beginModelVersion(db, "AUDIO_CNN", { ...params, minListeners, alsVersion: als.id, trainTracks: seen.length });
  try {
    const network = new ContentNetwork(params);
    await network.fit(seen.map(spectrogram), targets(seen), {
      signal: options.signal,
      onEpoch: (epoch, trainLoss, valLoss) =>
        onProgress(`epoch ${epoch}: train ${trainLoss.toFixed(4)}, validation ${valLoss.toFixed(4)}`, epoch, params.maxEpochs),
    });
    // AUC on the unseen tracks: do the predicted vectors rank each track's real listeners first?
    const users = await loadVectors(db, als.id, "USER");
    const userRow = new Map(Array.from(users.ids, (uid, r) => [uid, r]));
    const listenersOf = new Map<number, number[]>(unseen.map((r) => [r.track_id, []]));
    const listened = await db.query<{ track_id: number; user_id: number }>(
      `SELECT track_id, user_id FROM user_track_stats WHERE track_id = ANY($1::int[]) AND streams > 0`,
      [unseen.map((r) => r.track_id)],
    );
    for (const l of listened) if (userRow.has(l.user_id)) listenersOf.get(l.track_id)!.push(userRow.get(l.user_id)!);
    const positives = unseen.map((r) => Int32Array.from(listenersOf.get(r.track_id)!));
    const auc = unseen.length ? coldStartAuc(network.predict(unseen.map(spectrogram)), users.matrix, positives) : NaN;
    onProgress("predicting every track", 1, 1);
    const predicted = network.predict(analysed.map(spectrogram));
    await storeVectors(
      db,
      id,
      "TRACK",
      analysed.map((r) => r.track_id),
      predicted,
    );
    const metrics = {
      unseenTrackAuc: auc,
      unseenTracks: unseen.length,
      trainTracks: seen.length,
      predictedTracks: analysed.length,
      bestEpoch: network.bestEpoch,
      baselineValLoss: network.baselineValLoss,
    };
    // Similarity serves these vectors whitened by the catalogue's covariance (similarity/audio-scale.ts): stored beside the metrics.
    const stored = { ...metrics, [SIMILARITY_WHITENING_KEY]: audioWhitening(predicted) };
    await finishModelVersion(db, id, { artifact: network.save() as Uint8Array<ArrayBuffer>, metrics: stored, history: network.lossHistory });
    network.dispose();
    return { id, metrics };
  } catch (error) {
    await failModelVersion(db, id, error as Error);
    throw error;
  }
}
