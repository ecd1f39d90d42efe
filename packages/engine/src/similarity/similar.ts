import type { Database } from "@deepcuts/db";
import { dot } from "@deepcuts/models/core";
import { activeBlendConfig } from "../curation/blends.ts";
import { invalid, missing, notReady } from "../service-error.ts";
import { indexCacheFor, type ServedIndex } from "./index-cache.ts";
import { textTrackNeighbours } from "./text-tracks.ts";
import { sharedArticles } from "../crawl/co-mention.ts";
import { BLEND_WEIGHT_OF, SINGLE_MODELS, type EntityKindName, type SimilarityModel, type SingleModel } from "./models.ts";

export interface SimilarEntity {
  id: number;
  /** Under the model asked for (BLEND: the weighted mean); the list is ordered by it. */
  score: number;
  /** Cosine under each model with a vector for both the query entity and this one; absent otherwise. */
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

/** A model that has a vector for the query entity: its served index and the query's row there. */
interface ScoringModel {
  model: SingleModel;
  index: ServedIndex;
  row: number;
}

/**
 * The models among `models` with a served index holding a vector for the query entity. The
 * vectors are the ones each model's own query searches (AUDIO whitened, TEXT tracks carrying
 * their artist's vector where inherited), so a neighbour's score under a model is the number
 * that model's query shows for the pair. CO_MENTION has artist vectors only.
 */
async function scoringModels(db: Database, entity: EntityKindName, id: number, models: readonly SingleModel[]): Promise<ScoringModel[]> {
  const cache = indexCacheFor(db);
  const wanted = models.filter((m) => m !== "CO_MENTION" || entity === "ARTIST");
  const indexes = await Promise.all(wanted.map((m) => cache.find(m, entity)));
  const found: ScoringModel[] = [];
  wanted.forEach((model, i) => {
    const index = indexes[i];
    const row = index ? index.index.rowOf(id) : -1;
    if (index && row >= 0) found.push({ model, index, row });
  });
  return found;
}

/** Cosine of the query's vector with entity `id`'s under each model that has both (unit vectors: a dot product). */
function scoresUnder(models: readonly ScoringModel[], id: number): Partial<Record<SingleModel, number>> {
  const scores: Partial<Record<SingleModel, number>> = {};
  for (const m of models) {
    const row = m.index.index.rowOf(id);
    if (row < 0) continue;
    const a = m.index.index.vectorAt(m.row);
    scores[m.model] = dot(a, 0, m.index.index.vectorAt(row), 0, a.length);
  }
  return scores;
}

/**
 * Neighbours of one entity under one model, the entity itself left out, each scored under every
 * model that has vectors for both (`scoreEveryModel: false` keeps only the queried model's, for
 * callers that read `score` alone, such as the graph).
 */
export async function similarEntities(
  db: Database,
  input: { entity: EntityKindName; id: number; model: SimilarityModel; first: number; scoreEveryModel?: boolean },
): Promise<SimilarEntity[]> {
  assertFirst(input.first);
  if (input.model === "BLEND") return blendedSimilar(db, input);
  const model = input.model;
  const served = await indexCacheFor(db).get(model, input.entity);
  const row = served.index.rowOf(input.id);
  if (row < 0) throw missing(`${input.entity.toLowerCase()} ${input.id} in the ${model} model`);
  let similar: SimilarEntity[];
  if (model === "TEXT" && input.entity === "TRACK") {
    const found = await textTrackNeighbours(db, served, input.id, input.first);
    similar = found.map((n) => ({ id: n.id, score: n.score, scores: {}, sameArtist: n.sameArtist }));
  } else {
    const found = served.index.search(served.index.vectorAt(row), input.first, new Set([input.id]));
    similar = Array.from(found.ids, (id, i) => ({ id, score: found.scores[i], scores: {} }));
  }
  const otherModels = input.scoreEveryModel === false ? [] : SINGLE_MODELS.filter((m) => m !== model);
  const others = await scoringModels(db, input.entity, input.id, otherModels);
  for (const s of similar) s.scores = { ...scoresUnder(others, s.id), [model]: s.score };
  if (model === "CO_MENTION") {
    const ids = similar.map((s) => s.id);
    const shared = await sharedArticles(db, input.id, ids);
    for (const s of similar) Object.assign(s, shared.get(s.id));
  }
  return similar;
}

/**
 * BLEND: candidates from each available model, scored by the active blend's weighted mean of
 * their cosines (a model where a candidate has no vector contributes 0 for it).
 */
async function blendedSimilar(db: Database, input: { entity: EntityKindName; id: number; first: number; scoreEveryModel?: boolean }): Promise<SimilarEntity[]> {
  const weights = (await activeBlendConfig(db)).weights;
  const weightOf = (model: SingleModel) => {
    const weightName = BLEND_WEIGHT_OF[model];
    return weightName ? (weights[weightName] ?? 0) : 0;
  };
  const models = input.scoreEveryModel === false ? SINGLE_MODELS.filter((m) => weightOf(m) > 0) : SINGLE_MODELS;
  const available = await scoringModels(db, input.entity, input.id, models);
  const served = available.filter((s) => weightOf(s.model) > 0);
  if (served.length === 0) throw notReady(`no model with a positive blend weight has a vector for ${input.entity.toLowerCase()} ${input.id}`);
  const candidates = new Set<number>();
  for (const s of served) {
    const found = s.index.index.search(s.index.index.vectorAt(s.row), Math.min(3 * input.first, 300), new Set([input.id]));
    found.ids.forEach((id) => candidates.add(id));
  }
  const totalWeight = served.reduce((sum, s) => sum + weightOf(s.model), 0);
  const scored = [...candidates].map((id) => {
    // Every available model's cosine is shown; only the weighted ones make the score.
    const scores = scoresUnder(available, id);
    const score = served.reduce((sum, s) => sum + (weightOf(s.model) * (scores[s.model] ?? 0)) / totalWeight, 0);
    return { id, score, scores };
  });
  scored.sort((a, b) => b.score - a.score || a.id - b.id);
  return scored.slice(0, input.first);
}
