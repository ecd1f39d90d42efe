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

function align(ids: ArrayLike<number>, source: DenseMatrix, order: Map<number, number>, size: number): AlignedVectors {
  const k = source.cols;
  const data = new Float32Array(size * k);
  const has = new Uint8Array(size);
  for (let r = 0; r < ids.length; r++) {
    const i = order.get(ids[r]);
    if (i === undefined) continue;
    data.set(source.data.subarray(r * k, r * k + k), i * k);
    has[i] = 1;
  }
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
  /** log1p(popularity): the popularity source's scores, the same for every listener. */
  logPopularity: Float32Array;
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

/** Loaded vectors: entity ids and the matching matrix rows. */
export interface IdVectors {
  ids: ArrayLike<number>;
  matrix: DenseMatrix;
}

/** What `assembleModelState` needs: the catalogue and each trained source, however it was obtained. */
export interface ModelStateInput {
  tracks: { id: number; artist_id: number; title: string }[];
  artists: { id: number; name: string }[];
  /** Popularity per track id (streams or the popularity model's score). */
  popularity: Map<number, number>;
  popularityVersionId?: number;
  collaborative: null | { versionId: number; model: ImplicitAls; userIds: ArrayLike<number>; itemTrackIds: ArrayLike<number> };
  text: null | { versionId: number; tracks: IdVectors; artists: IdVectors };
  audio: null | { versionId: number; tracks: IdVectors };
}

export async function loadModelState(db: Database): Promise<ModelState> {
  return assembleModelState(await loadModelStateInput(db));
}

/** The catalogue and the active versions' models and vectors, before they are laid out (the blend evaluation swaps some of them). */
export async function loadModelStateInput(db: Database): Promise<ModelStateInput> {
  const tracks = await db.query<{ id: number; artist_id: number; title: string }>(`SELECT id, artist_id, title FROM tracks ORDER BY id`);
  const artists = await db.query<{ id: number; name: string }>(`SELECT id, name FROM artists`);
  const input: ModelStateInput = { tracks, artists, popularity: new Map(), collaborative: null, text: null, audio: null };
  const pop = await activeModelVersion(db, "POPULARITY");
  if (pop?.artifact) {
    const { ids, scores } = decodeItemScores(pop.artifact);
    ids.forEach((id, r) => input.popularity.set(id, scores[r]));
    input.popularityVersionId = pop.id;
  } else {
    for (const r of await db.query<{ track_id: number; n: number }>(
      `SELECT track_id, count(*)::int AS n FROM user_track_stats WHERE streams > 0 GROUP BY track_id`,
    )) {
      input.popularity.set(r.track_id, r.n);
    }
  }
  const audioVersion = await activeModelVersion(db, "AUDIO_CNN");
  if (audioVersion) input.audio = { versionId: audioVersion.id, tracks: await loadVectors(db, audioVersion.id, "TRACK") };
  const als = await activeModelVersion(db, "ALS");
  if (als?.artifact) {
    const entityIds = async (kind: string) =>
      Int32Array.from(
        await db.query<{ entity_id: number }>(
          `SELECT entity_id FROM vectors WHERE model_version_id = $1 AND entity_kind = $2::text::"EntityKind" ORDER BY entity_id`,
          [als.id, kind],
        ),
        (r) => r.entity_id,
      );
    input.collaborative = {
      versionId: als.id,
      model: ImplicitAls.load(als.artifact),
      userIds: await entityIds("USER"),
      itemTrackIds: await entityIds("TRACK"),
    };
  }
  const textVersion = await activeModelVersion(db, "TEXT");
  if (textVersion) {
    input.text = {
      versionId: textVersion.id,
      tracks: await loadVectors(db, textVersion.id, "TRACK"),
      artists: await loadVectors(db, textVersion.id, "ARTIST"),
    };
  }
  return input;
}

/**
 * Lays every source out in catalogue order. A track the collaborative model saw with no listens
 * (a factor vector near zero) or never saw is cold; with an audio model, cold tracks take their
 * audio-predicted collaborative vector, scaled to a typical item's length.
 */
export function assembleModelState(input: ModelStateInput): ModelState {
  const { tracks, artists } = input;
  const n = tracks.length;
  const indexOfTrack = new Map(tracks.map((t, i) => [t.id, i]));
  const versions: Record<string, number> = {};
  if (input.popularityVersionId !== undefined) versions.POPULARITY = input.popularityVersionId;
  const popularity = Float32Array.from(tracks, (t) => input.popularity.get(t.id) ?? 0);

  let audio: ModelState["audio"] = null;
  if (input.audio) {
    const aligned = align(input.audio.tracks.ids, input.audio.tracks.matrix, indexOfTrack, n);
    audio = { versionId: input.audio.versionId, unitTracks: unitRows(aligned.matrix), has: aligned.has };
    versions.AUDIO_CNN = input.audio.versionId;
  }

  let collaborative: ModelState["collaborative"] = null;
  // Without a collaborative model, a track nobody streamed counts as cold.
  const coldTrack = Uint8Array.from(popularity, (p) => (p > 0 ? 0 : 1));
  if (input.collaborative) {
    const { model, versionId } = input.collaborative;
    const modelItem = new Int32Array(n).fill(-1);
    Array.from(input.collaborative.itemTrackIds).forEach((id, r) => {
      const i = indexOfTrack.get(id);
      if (i !== undefined) modelItem[i] = r;
    });
    const factors = model.itemFactors;
    const k = factors.cols;
    const items = new Float32Array(n * k);
    const fromAudio = new Uint8Array(n);
    coldTrack.fill(1);
    let normSum = 0,
      normCount = 0;
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
    const userRow = new Map(Array.from(input.collaborative.userIds, (id, r) => [id, r]));
    collaborative = { versionId, model, userRow, modelItem, items: matrix, unitItems: unitRows(matrix), fromAudio };
    versions.ALS = versionId;
  }

  let text: ModelState["text"] = null;
  if (input.text) {
    const aligned = align(input.text.tracks.ids, input.text.tracks.matrix, indexOfTrack, n);
    const unitA = unitRows(input.text.artists.matrix);
    const unitArtists = new Map<number, Float32Array>();
    Array.from(input.text.artists.ids).forEach((id, r) => unitArtists.set(id, unitA.data.slice(r * unitA.cols, (r + 1) * unitA.cols)));
    text = { versionId: input.text.versionId, unitTracks: unitRows(aligned.matrix), unitArtists };
    versions.TEXT = input.text.versionId;
  }

  return {
    trackIds: Int32Array.from(tracks, (t) => t.id),
    indexOfTrack,
    artistOf: Int32Array.from(tracks, (t) => t.artist_id),
    trackTitle: tracks.map((t) => t.title),
    artistName: new Map(artists.map((a) => [a.id, a.name])),
    coldTrack,
    popularity,
    logPopularity: popularity.map((p) => Math.log1p(p)),
    collaborative,
    text,
    audio,
    versions,
  };
}

const current = new WeakMap<Database, { key: string; state: Promise<ModelState> }>();

/**
 * The model state of the active versions, loaded once per process and database and reloaded
 * only when an active version (or the catalogue's size) changes: what the preview, the
 * off-policy estimate and a worker's shards share between calls.
 */
export async function currentModelState(db: Database): Promise<ModelState> {
  const [{ key }] = await db.query<{ key: string }>(
    `SELECT coalesce((SELECT string_agg(id::text, ',' ORDER BY id) FROM model_versions WHERE is_active AND status = 'READY'), '')
            || '|' || (SELECT count(*) FROM tracks) AS key`,
  );
  const cached = current.get(db);
  if (cached?.key === key) return cached.state;
  const state = loadModelState(db);
  current.set(db, { key, state });
  state.catch(() => {
    if (current.get(db)?.state === state) current.delete(db);
  });
  return state;
}
