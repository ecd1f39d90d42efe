import type { Database } from "@deepcuts/db";
import { activeBlendConfig } from "../curation/blends.ts";
import { invalid, missing, notReady } from "../service-error.ts";
import { indexCacheFor, type ServedIndex } from "./index-cache.ts";
import { textTrackNeighbours } from "./text-tracks.ts";
import { sharedArticles } from "../crawl/co-mention.ts";
import { BLEND_WEIGHT_OF, SINGLE_MODELS, type EntityKindName, type SimilarityModel, type SingleModel } from "./models.ts";

export interface SimilarEntity {
  id: number;
  score: number;
  /** Per-model cosine for BLEND; the one model's score otherwise. */
  scores: Partial<Record<SingleModel, number>>;
  /** TEXT track neighbours only: by the query's artist (see text-tracks.ts). */
  sameArtist?: boolean;
  /** CO_MENTION artist neighbours only: crawled articles that name both, and that in words. */
  sharedArticles?: number;
  explanation?: string;
}

export const MAX_SIMILAR = 100;

function assertFirst(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_SIMILAR) throw invalid("first", `must be 1..${MAX_SIMILAR}, got ${first}`);
}

function cosineToRow(index: ServedIndex, queryRow: number, id: number): number | undefined {
  const row = index.index.rowOf(id);
  if (row < 0) return undefined;
  const a = index.index.vectorAt(queryRow),
    b = index.index.vectorAt(row);
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

/** Neighbours of one entity under one model, the entity itself left out. */
export async function similarEntities(
  db: Database,
  input: { entity: EntityKindName; id: number; model: SimilarityModel; first: number },
): Promise<SimilarEntity[]> {
  assertFirst(input.first);
  if (input.model === "BLEND") return blendedSimilar(db, input);
  const served = await indexCacheFor(db).get(input.model, input.entity);
  const row = served.index.rowOf(input.id);
  if (row < 0) throw missing(`${input.entity.toLowerCase()} ${input.id} in the ${input.model} model`);
  if (input.model === "TEXT" && input.entity === "TRACK") {
    const found = await textTrackNeighbours(db, served, input.id, input.first);
    return found.map((n) => ({ id: n.id, score: n.score, scores: { TEXT: n.score }, sameArtist: n.sameArtist }));
  }
  const found = served.index.search(served.index.vectorAt(row), input.first, new Set([input.id]));
  const similar: SimilarEntity[] = Array.from(found.ids, (id, i) => ({ id, score: found.scores[i], scores: { [input.model]: found.scores[i] } }));
  if (input.model === "CO_MENTION") {
    const shared = await sharedArticles(db, input.id, Array.from(found.ids));
    for (const s of similar) Object.assign(s, shared.get(s.id));
  }
  return similar;
}

/**
 * BLEND: candidates from each available model, scored by the active blend's weighted mean of
 * their cosines (a model where a candidate has no vector contributes 0 for it).
 */
async function blendedSimilar(db: Database, input: { entity: EntityKindName; id: number; first: number }): Promise<SimilarEntity[]> {
  const cache = indexCacheFor(db);
  const weights = (await activeBlendConfig(db)).weights;
  const served: { model: SingleModel; index: ServedIndex; row: number; weight: number }[] = [];
  for (const model of SINGLE_MODELS) {
    const weightName = BLEND_WEIGHT_OF[model];
    const weight = weightName ? (weights[weightName] ?? 0) : 0;
    if (weight <= 0) continue;
    const index = await cache.find(model, input.entity);
    if (!index) continue;
    const row = index.index.rowOf(input.id);
    if (row >= 0) served.push({ model, index, row, weight });
  }
  if (served.length === 0) throw notReady(`no model with a positive blend weight has a vector for ${input.entity.toLowerCase()} ${input.id}`);
  const candidates = new Set<number>();
  for (const s of served) {
    const found = s.index.index.search(s.index.index.vectorAt(s.row), Math.min(3 * input.first, 300), new Set([input.id]));
    found.ids.forEach((id) => candidates.add(id));
  }
  const totalWeight = served.reduce((sum, s) => sum + s.weight, 0);
  const scored = [...candidates].map((id) => {
    const scores: Partial<Record<SingleModel, number>> = {};
    let score = 0;
    for (const s of served) {
      const c = cosineToRow(s.index, s.row, id);
      if (c === undefined) continue;
      scores[s.model] = c;
      score += (s.weight * c) / totalWeight;
    }
    return { id, score, scores };
  });
  scored.sort((a, b) => b.score - a.score || a.id - b.id);
  return scored.slice(0, input.first);
}
