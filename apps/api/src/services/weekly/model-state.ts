import type { Database } from "@deepcuts/db";
import { ImplicitAls, normalizedRows } from "@deepcuts/models/cf";
import type { DenseMatrix } from "@deepcuts/models/core";
import { activeModelVersion } from "../training/model-versions.ts";
import { decodeItemScores } from "../training/popularity.ts";
import { loadVectors } from "../training/vector-store.ts";

/** Rows of `source` (keyed by entity id) laid out in catalogue order; `has[i]` marks rows found. */
export interface AlignedVectors {
  matrix: DenseMatrix;
  has: Uint8Array;
}

function align(ids: Int32Array, source: DenseMatrix, order: Map<number, number>, size: number): AlignedVectors {
  const k = source.cols;
  const data = new Float32Array(size * k);
  const has = new Uint8Array(size);
  ids.forEach((id, r) => {
    const i = order.get(id);
    if (i === undefined) return;
    data.set(source.data.subarray(r * k, r * k + k), i * k);
    has[i] = 1;
  });
  return { matrix: { rows: size, cols: k, data }, has };
}

/** Rows scaled to unit length, for cosine similarity (shared with the CF package). */
export const unitRows = normalizedRows;

/**
 * Everything the blend reads, loaded once from the active model versions: the catalogue in id
 * order, popularity, and per source the track vectors aligned to the catalogue. A source whose
 * model is not trained is null, and the blend gives it weight zero.
 */
export interface ModelState {
  trackIds: Int32Array;
  indexOfTrack: Map<number, number>;
  artistOf: Int32Array;
  trackTitle: string[];
  artistName: Map<number, string>;
  /** Track had no listens when its collaborative model was trained (brand new or never played). */
  coldTrack: Uint8Array;
  popularity: Float32Array;
  collaborative: null | {
    versionId: number;
    model: ImplicitAls;
    /** Listener id -> row of userFactors in the trained model. */
    userRow: Map<number, number>;
    /** Track index -> row of the model's item factors (-1 for tracks the model never saw). */
    modelItem: Int32Array;
    /** Item factors in catalogue order; cold tracks filled from the audio-predicted vectors when there are any. */
    items: DenseMatrix;
    unitItems: DenseMatrix;
    fromAudio: Uint8Array;
  };
  text: null | { versionId: number; unitTracks: DenseMatrix; unitArtists: Map<number, Float32Array> };
  audio: null | { versionId: number; unitTracks: DenseMatrix; has: Uint8Array };
  versions: Record<string, number>;
}

export async function loadModelState(db: Database): Promise<ModelState> {
  const tracks = await db.query<{ id: number; artist_id: number; title: string }>(`SELECT id, artist_id, title FROM tracks ORDER BY id`);
  const artists = await db.query<{ id: number; name: string }>(`SELECT id, name FROM artists`);
  const n = tracks.length;
  const indexOfTrack = new Map(tracks.map((t, i) => [t.id, i]));
  const versions: Record<string, number> = {};
  const popularity = new Float32Array(n);
  const pop = await activeModelVersion(db, "POPULARITY");
  if (pop?.artifact) {
    const { ids, scores } = decodeItemScores(pop.artifact);
    ids.forEach((id, r) => {
      const i = indexOfTrack.get(id);
      if (i !== undefined) popularity[i] = scores[r];
    });
    versions.POPULARITY = pop.id;
  } else {
    for (const r of await db.query<{ track_id: number; n: number }>(`SELECT track_id, count(*)::int AS n FROM user_track_stats WHERE streams > 0 GROUP BY track_id`)) {
      const i = indexOfTrack.get(r.track_id);
      if (i !== undefined) popularity[i] = r.n;
    }
  }

  let audio: ModelState["audio"] = null;
  const audioVersion = await activeModelVersion(db, "AUDIO_CNN");
  if (audioVersion) {
    const v = await loadVectors(db, audioVersion.id, "TRACK");
    const aligned = align(v.ids, v.matrix, indexOfTrack, n);
    audio = { versionId: audioVersion.id, unitTracks: unitRows(aligned.matrix), has: aligned.has };
    versions.AUDIO_CNN = audioVersion.id;
  }

  let collaborative: ModelState["collaborative"] = null;
  // Without a collaborative model, a track nobody streamed counts as cold.
  const coldTrack = Uint8Array.from(popularity, (p) => (p > 0 ? 0 : 1));
  const als = await activeModelVersion(db, "ALS");
  if (als?.artifact) {
    const model = ImplicitAls.load(als.artifact);
    const users = await db.query<{ entity_id: number }>(`SELECT entity_id FROM vectors WHERE model_version_id = $1 AND entity_kind = 'USER' ORDER BY entity_id`, [als.id]);
    const trackRows = await db.query<{ entity_id: number }>(`SELECT entity_id FROM vectors WHERE model_version_id = $1 AND entity_kind = 'TRACK' ORDER BY entity_id`, [als.id]);
    const modelItem = new Int32Array(n).fill(-1);
    trackRows.forEach((t, r) => {
      const i = indexOfTrack.get(t.entity_id);
      if (i !== undefined) modelItem[i] = r;
    });
    const factors = model.itemFactors;
    const k = factors.cols;
    const items = new Float32Array(n * k);
    const fromAudio = new Uint8Array(n);
    coldTrack.fill(1);
    let normSum = 0, normCount = 0;
    for (let i = 0; i < n; i++) {
      const r = modelItem[i];
      if (r < 0) continue;
      const row = factors.data.subarray(r * k, r * k + k);
      let s = 0;
      for (let c = 0; c < k; c++) s += row[c] * row[c];
      // A track nobody had played when the model was trained has a factor vector near zero.
      if (s > 1e-8) {
        coldTrack[i] = 0;
        normSum += Math.sqrt(s);
        normCount++;
        items.set(row, i * k);
      }
    }
    // Cold tracks get their audio-predicted collaborative vector, scaled to a typical item's length
    // (the network predicts unit vectors of the same space).
    if (audio && audio.unitTracks.cols === k && normCount > 0) {
      const typical = normSum / normCount;
      for (let i = 0; i < n; i++) {
        if (!coldTrack[i] || !audio.has[i]) continue;
        for (let c = 0; c < k; c++) items[i * k + c] = audio.unitTracks.data[i * k + c] * typical;
        fromAudio[i] = 1;
      }
    }
    const matrix = { rows: n, cols: k, data: items };
    collaborative = { versionId: als.id, model, userRow: new Map(users.map((u, r) => [u.entity_id, r])), modelItem, items: matrix, unitItems: unitRows(matrix), fromAudio };
    versions.ALS = als.id;
  }

  let text: ModelState["text"] = null;
  const textVersion = await activeModelVersion(db, "TEXT");
  if (textVersion) {
    const t = await loadVectors(db, textVersion.id, "TRACK");
    const aligned = align(t.ids, t.matrix, indexOfTrack, n);
    const a = await loadVectors(db, textVersion.id, "ARTIST");
    const unitA = unitRows(a.matrix);
    const unitArtists = new Map<number, Float32Array>();
    a.ids.forEach((id, r) => unitArtists.set(id, unitA.data.slice(r * unitA.cols, (r + 1) * unitA.cols)));
    text = { versionId: textVersion.id, unitTracks: unitRows(aligned.matrix), unitArtists };
    versions.TEXT = textVersion.id;
  }

  return {
    trackIds: Int32Array.from(tracks, (t) => t.id),
    indexOfTrack,
    artistOf: Int32Array.from(tracks, (t) => t.artist_id),
    trackTitle: tracks.map((t) => t.title),
    artistName: new Map(artists.map((a) => [a.id, a.name])),
    coldTrack,
    popularity,
    collaborative,
    text,
    audio,
    versions,
  };
}
