import { seededRandom, shuffle } from "../core/random.ts";
import { userMetricsAt } from "../eval/metrics.ts";
import { readArtistBios, type ArtistBio } from "./artist-bios.ts";
import { CulturalModel, type SimilaritySpace } from "./model.ts";
import type { CulturalModelOptions } from "./options.ts";

export interface SimilarityListMetrics {
  "precision@10": number;
  "recall@10": number;
  "map@10": number;
  /** Artists with a biography and a similarity list. */
  artists: number;
  /** The same figures for a random ranking (mean of 20 seeded draws). */
  random: { "precision@10": number; "recall@10": number; "map@10": number };
  /**
   * precision@10 on two fixed halves of the list's artists, for each split seed: settings were
   * chosen on the validation half of split 7 and are reported on its test half (docs/text.md).
   */
  halves: { splitSeed: number; validation: number; test: number }[];
}

/** Seeds of the fixed half splits of each list's artists that the evaluation reports. */
export const BIOS_SPLIT_SEEDS = [7, 11] as const;

/** True for the artists (by position in the list) in the validation half of split `seed`. */
export function validationHalf(count: number, seed: number): boolean[] {
  const order = Array.from({ length: count }, (_, i) => i);
  shuffle(order, seededRandom(seed));
  const inHalf = new Array<boolean>(count).fill(false);
  for (const i of order.slice(0, Math.floor(count / 2))) inHalf[i] = true;
  return inHalf;
}

export interface BiosEvalResult {
  model: "text";
  dataset: "artist-bios";
  space: SimilaritySpace;
  dims: number;
  entities: number;
  terms: number;
  mirex: SimilarityListMetrics;
  lastfm: SimilarityListMetrics;
}

export interface BiosEvalOptions {
  folder: string;
  seed: number;
  space: SimilaritySpace;
  dims: number;
  model: Omit<CulturalModelOptions, "artistOf">;
  onProgress?: (message: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Text similarity against two gold lists: MIREX human judgements and Last.fm's similar
 * artists. One model is fitted on the union of both sets' biographies (unlabelled text; the
 * gold lists are never read by the model), and each list ranks only the artists of its own set.
 */
export async function evaluateBios(options: BiosEvalOptions): Promise<BiosEvalResult> {
  const mirex = (await readArtistBios(options.folder, "mirex")).filter((a) => a.bio.trim() !== "");
  const lastfm = (await readArtistBios(options.folder, "lastfm")).filter((a) => a.bio.trim() !== "");
  const model = new CulturalModel(options.model);
  const seen = new Set<string>();
  const documents = [...mirex, ...lastfm]
    .filter((a) => !seen.has(a.mbid) && seen.add(a.mbid))
    .map((a) => ({ entityId: a.mbid, kind: "artist" as const, text: a.bio, source: "bio" as const }));
  await model.addDocuments(documents, {
    signal: options.signal,
    onProgress: (done, total) => options.onProgress?.("extracting terms from biographies", done, total),
  });
  if (options.space !== "sparse") {
    options.onProgress?.("fitting LSA", 0, 1);
    model.fitDense({ dims: options.dims, seed: options.seed, signal: options.signal });
  }
  return {
    model: "text",
    dataset: "artist-bios",
    space: options.space,
    dims: options.space === "sparse" ? 0 : model.denseSpace!.dims,
    entities: model.entityCount,
    terms: model.termCount,
    mirex: listMetrics(model, mirex, options),
    lastfm: listMetrics(model, lastfm, options),
  };
}

function listMetrics(model: CulturalModel, artists: ArtistBio[], options: BiosEvalOptions): SimilarityListMetrics {
  const ids = model.culturalMatrix().entityIds;
  const rowOf = new Map(ids.map((id, e) => [id, e]));
  const candidates = artists.map((a) => rowOf.get(a.mbid)!);
  const random = seededRandom(options.seed);
  const sums = { p: 0, r: 0, ap: 0, rp: 0, rr: 0, rap: 0 };
  const draws = 20;
  const halves = BIOS_SPLIT_SEEDS.map((seed) => ({ seed, inValidation: validationHalf(artists.length, seed), sums: [0, 0], counts: [0, 0] }));
  let evaluated = 0;
  for (const [position, artist] of artists.entries()) {
    const relevant = artist.similar.map((id) => rowOf.get(id) ?? -1).filter((e) => e >= 0);
    if (relevant.length === 0) continue;
    evaluated++;
    const self = rowOf.get(artist.mbid)!;
    const scores = model.scoresFor(artist.mbid, options.space)!;
    const others = candidates.filter((e) => e !== self);
    const ranked = [...others].sort((a, b) => scores[b] - scores[a] || a - b).slice(0, 10);
    const at10 = userMetricsAt(ranked, relevant, 10);
    sums.p += at10.precision;
    sums.r += at10.recall;
    sums.ap += at10.ap;
    for (const half of halves) {
      const part = half.inValidation[position] ? 0 : 1;
      half.sums[part] += at10.precision;
      half.counts[part]++;
    }
    for (let d = 0; d < draws; d++) {
      shuffle(others, random);
      const chance = userMetricsAt(others.slice(0, 10), relevant, 10);
      sums.rp += chance.precision / draws;
      sums.rr += chance.recall / draws;
      sums.rap += chance.ap / draws;
    }
  }
  const mean = (x: number) => (evaluated ? x / evaluated : 0);
  return {
    "precision@10": mean(sums.p),
    "recall@10": mean(sums.r),
    "map@10": mean(sums.ap),
    artists: evaluated,
    random: { "precision@10": mean(sums.rp), "recall@10": mean(sums.rr), "map@10": mean(sums.rap) },
    halves: halves.map((h) => ({
      splitSeed: h.seed,
      validation: h.counts[0] ? h.sums[0] / h.counts[0] : 0,
      test: h.counts[1] ? h.sums[1] / h.counts[1] : 0,
    })),
  };
}
