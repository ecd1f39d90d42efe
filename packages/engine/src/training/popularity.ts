import type { Database } from "@deepcuts/db";
import { float32ToBytes } from "@deepcuts/db";
import { PopularityModel } from "@deepcuts/models/cf";
import { evaluateModelOnSplit, holdoutSplit } from "@deepcuts/models/eval";
import { loadInteractions } from "./interactions.ts";
import { beginModelVersion, failModelVersion, finishModelVersion } from "./model-versions.ts";

/** Encodes (database id, score) pairs: the popularity model's artifact. */
export function encodeItemScores(ids: number[], scores: Float32Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(8 + ids.length * 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x44435031, true); // "DCP1"
  view.setUint32(4, ids.length, true);
  ids.forEach((id, i) => {
    view.setInt32(8 + i * 4, id, true);
  });
  out.set(float32ToBytes(scores), 8 + ids.length * 4);
  return out;
}

export function decodeItemScores(bytes: Uint8Array): { ids: Int32Array; scores: Float32Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== 0x44435031) throw new Error("not a popularity model artifact (bad magic)");
  const n = view.getUint32(4, true);
  if (bytes.byteLength !== 8 + n * 8) throw new Error(`popularity artifact is truncated: expected ${8 + n * 8} bytes, got ${bytes.byteLength}`);
  const ids = new Int32Array(n),
    scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    ids[i] = view.getInt32(8 + i * 4, true);
    scores[i] = view.getFloat32(8 + n * 4 + i * 4, true);
  }
  return { ids, scores };
}

/** Trains, evaluates and activates a popularity model version. */
export async function trainPopularity(db: Database, onProgress: (m: string, d: number, t: number) => void = () => {}) {
  const id = await beginModelVersion(db, "POPULARITY", { signal: "distinct listeners" });
  try {
    onProgress("loading interactions", 0, 3);
    const interactions = await loadInteractions(db);
    onProgress("evaluating", 1, 3);
    const split = holdoutSplit(interactions.userItems, { seed: 42 });
    const metrics = evaluateModelOnSplit(await new PopularityModel().fit(split.train), split);
    onProgress("storing", 2, 3);
    const model = await new PopularityModel().fit(interactions.userItems);
    await finishModelVersion(db, id, {
      artifact: encodeItemScores(interactions.items.ids, model.itemPopularity),
      metrics: { ...metrics, level: interactions.level },
    });
    onProgress("done", 3, 3);
    return { id, metrics };
  } catch (error) {
    await failModelVersion(db, id, error as Error);
    throw error;
  }
}
