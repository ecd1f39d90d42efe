import { ImplicitAls } from "../cf/als.ts";
import { bm25AlsChoice, bm25Weights, type Bm25Params } from "../cf/bm25.ts";
import { Ease } from "../cf/ease.ts";
import type { Rp3BetaParams } from "../cf/params.ts";
import { Rp3Beta } from "../cf/rp3beta.ts";
import type { Csr } from "../core/matrix.ts";
import { TopK } from "../core/topk.ts";
import { lastfmPlayMatrix, readLastfm2k } from "../datasets/lastfm2k.ts";
import { alsFlagOptions, type AlsFlags } from "../eval/ease-eval.ts";
import { rankingMetrics, type RankingMetrics, type UserRanking } from "../eval/metrics.ts";
import { holdoutSplit, validationSplit, type HoldoutSplit } from "../eval/split.ts";
import { TagScorer } from "../text/tag-scores.ts";
import { zScores } from "./normalise.ts";

/**
 * The blend's ALS settings where no flag gives one: raw confidence c = 1 + 0.025 w of the BM25
 * weights w of the plays (`blendBm25Defaults`) and regularization 20 (the other parameters ALS's
 * defaults). Among BM25 K1 50 to 200 and B 0.5 to 1 with alpha and regularization re-chosen
 * around them, these had the best recall@20 + nDCG@10 of the four-source blend on the validation
 * splits of both seeds 42 and 7 (docs/cf.md, "RP3beta", BM25 paragraph; before: log1p of raw
 * plays with alpha 2, regularization 20).
 */
export const blendAlsDefaults: Readonly<AlsFlags> = bm25AlsChoice.als;

/**
 * BM25 weighting of the plays the blend's ALS is fitted on (`bm25Weights`): K1 200, B 0.8, chosen with
 * `blendAlsDefaults`; no K1 400 or 800 setting (B 0.5, 0.8, alpha scaled) beat it by 0.0005 on the
 * validation splits of both seeds (docs/cf.md, BM25 paragraph).
 */
export const blendBm25Defaults: Readonly<Bm25Params> = bm25AlsChoice.bm25;

/**
 * The blend's EASE: lambda 100 (as EASE alone, `easeDefaults`) but only items with at least 3
 * listeners in the item-item matrix (EASE alone keeps 2). Among lambda 50, 75, 100, 150, 200 with
 * 2 listeners and lambda 75 and 100 with 3, this had the best mean recall@20 + nDCG@10 of the
 * four-source blend on the validation splits of seeds 42 and 7 (docs/cf.md, "RP3beta"; the
 * margins are small). Items left out of EASE still get ALS, tag and RP3beta scores.
 */
export const blendEaseDefaults: Readonly<{ lambda: number; minListeners: number }> = { lambda: 100, minListeners: 3 };

export interface BlendEvalOptions extends AlsFlags {
  /** "lastfm-2k:<folder>". */
  dataset: string;
  /** Split seeds, each evaluated on its own (default [42, 7]: the project's split and a second one). */
  seeds?: number[];
  /**
   * EASE lambdas tried on the validation split, chosen by EASE's own recall@20. Default
   * [blendEaseDefaults.lambda] (each EASE fit inverts a dense item-item matrix, minutes on two
   * cores), so this command only tunes weights.
   */
  lambdas?: number[];
  /** Listeners an item needs to enter EASE (default blendEaseDefaults.minListeners, 3). */
  easeMinListeners?: number;
  /** EASE weights w tried on the validation split with r = 0: w z(EASE) + (1 - w) z(ALS) + t z(tags) + r z(RP3beta). */
  easeWeights?: number[];
  /** Tag (text) weights t tried on the validation split with r = 0. */
  textWeights?: number[];
  /** RP3beta weights r > 0 tried on the validation split, each with every w of `rp3EaseWeights` and t of `rp3TextWeights`. */
  rp3Weights?: number[];
  /** EASE weights w tried with RP3beta (r > 0). */
  rp3EaseWeights?: number[];
  /** Tag weights t tried with RP3beta (r > 0). */
  rp3TextWeights?: number[];
  /** RP3beta's alpha, beta and neighbours (default rp3BetaDefaults, chosen on validation splits; docs/cf.md). */
  rp3?: Partial<Rp3BetaParams>;
  /**
   * BM25 weighting of the plays ALS is fitted on (default blendBm25Defaults); null fits ALS on the
   * raw plays (give alpha and confidence to suit them: blendAlsDefaults' are for BM25 weights).
   */
  alsBm25?: Partial<Bm25Params> | null;
  onProgress?: (message: string, done: number, total: number) => void;
}

export interface BlendWeightsChoice {
  easeWeight: number;
  textWeight: number;
  rp3Weight: number;
}

export type BlendEvalRow = RankingMetrics & {
  seed: number;
  lambda?: number;
  easeWeight?: number;
  textWeight?: number;
  rp3Weight?: number;
  validation?: Record<string, number>;
};
/** Keyed "<model>" for the first seed and "<model> seed <s>" for the others. */
export type BlendEvalResult = Record<string, BlendEvalRow>;

/** The fitted sources; one left out contributes 0 to every item. */
interface Sources {
  ease?: Ease;
  als?: ImplicitAls;
  tags?: TagScorer;
  rp3?: Rp3Beta;
}

/**
 * Top 20 of every evaluated listener under each weight choice, from one pass over the listeners:
 * each source's scores are z-scored once per listener over the items not in their training
 * history (blendZScores' normalisation), then every choice's weighted sum is ranked.
 */
function rankChoices(split: HoldoutSplit, sources: Sources, choices: BlendWeightsChoice[]): UserRanking[][] {
  const { train } = split;
  const items = train.cols;
  const ease = new Float32Array(items),
    als = new Float32Array(items),
    text = new Float32Array(items),
    rp3 = new Float32Array(items),
    total = new Float32Array(items);
  const zEase = new Float32Array(items),
    zAls = new Float32Array(items),
    zText = new Float32Array(items),
    zRp3 = new Float32Array(items);
  const eligible = new Uint8Array(items);
  const rankings: UserRanking[][] = choices.map(() => []);
  for (let u = 0; u < train.rows; u++) {
    if (split.test[u].length === 0) continue;
    eligible.fill(1);
    for (let q = train.indptr[u]; q < train.indptr[u + 1]; q++) eligible[train.indices[q]] = 0;
    if (sources.ease) zScores(sources.ease.scoreHistory(train, train.indptr[u], train.indptr[u + 1], ease), eligible, zEase);
    if (sources.als) {
      const x = sources.als.userFactors,
        y = sources.als.itemFactors,
        k = x.cols;
      for (let i = 0; i < items; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += x.data[u * k + c] * y.data[i * k + c];
        als[i] = s;
      }
      zScores(als, eligible, zAls);
    }
    if (sources.tags) zScores(sources.tags.scores(train, u, text), eligible, zText);
    if (sources.rp3) zScores(sources.rp3.scoreHistory(train, train.indptr[u], train.indptr[u + 1], rp3), eligible, zRp3);
    choices.forEach((choice, c) => {
      const we = choice.easeWeight,
        wa = 1 - choice.easeWeight,
        wt = choice.textWeight,
        wr = choice.rp3Weight;
      for (let i = 0; i < items; i++) total[i] = we * zEase[i] + wa * zAls[i] + wt * zText[i] + wr * zRp3[i];
      const top = new TopK(20);
      for (let i = 0; i < items; i++) if (eligible[i] && total[i] > top.threshold) top.push(i, total[i]);
      rankings[c].push({ ranked: top.sorted().ids, relevant: split.test[u] });
    });
  }
  return rankings;
}

/** The validation score of a choice: both goal metrics count (recall@20 + nDCG@10). */
const objective = (m: RankingMetrics) => m["recall@20"] + m["ndcg@10"];

function bestOf(choices: BlendWeightsChoice[], metrics: RankingMetrics[], keep: (c: BlendWeightsChoice) => boolean): BlendWeightsChoice {
  let chosen = -1;
  choices.forEach((c, j) => {
    if (keep(c) && (chosen < 0 || objective(metrics[j]) > objective(metrics[chosen]))) chosen = j;
  });
  return choices[chosen];
}

function popularityRankings(split: HoldoutSplit): UserRanking[] {
  const catalogue = split.train.cols;
  const popularity = new Float32Array(catalogue);
  for (let q = 0; q < split.train.indptr[split.train.rows]; q++) popularity[split.train.indices[q]]++;
  return split.test.flatMap((relevant, u) => {
    if (relevant.length === 0) return [];
    const heard = new Set(split.train.indices.subarray(split.train.indptr[u], split.train.indptr[u + 1]));
    const top = new TopK(20);
    for (let i = 0; i < catalogue; i++) if (!heard.has(i)) top.push(i, popularity[i]);
    return [{ ranked: top.sorted().ids, relevant }];
  });
}

/**
 * `deepcuts eval --model blend --dataset lastfm-2k:<folder>`: EASE, ALS (on BM25-weighted plays),
 * the tag text model and RP3beta blended on z-scores, on the collaborative protocol (per-user 20% holdout), for every
 * seed. On a validation split carved from each training part (validationSplit; the test split is
 * never looked at, and the tags listeners put on validation or test artists are hidden) EASE's
 * lambda is chosen by its own recall@20, then the weights (w, t, r) of
 * w z(EASE) + (1 - w) z(ALS) + t z(tags) + r z(RP3beta) by recall@20 + nDCG@10 over the grid; the
 * same pass gives the best blends without RP3beta (r = 0: EASE + ALS + tags; r = 0 and t = 0:
 * EASE + ALS; r = 0 and w = 0: ALS + tags). The models are refitted on the whole training part
 * and every chosen blend, each model alone and popularity are scored on the test split.
 */
export async function evaluateBlendLastfm(options: BlendEvalOptions): Promise<BlendEvalResult> {
  const match = /^lastfm-2k:(.+)$/.exec(options.dataset);
  if (!match) throw new RangeError(`dataset must be "lastfm-2k:<folder>", got "${options.dataset}"`);
  const seeds = options.seeds ?? [42, 7];
  const lambdas = options.lambdas ?? [blendEaseDefaults.lambda];
  const minListeners = options.easeMinListeners ?? blendEaseDefaults.minListeners;
  const easeWeights = options.easeWeights ?? [0, 0.3, 0.4, 0.5, 0.6, 0.7, 1];
  const textWeights = options.textWeights ?? [0, 0.5, 0.75, 1, 1.5];
  // The grid: w x t without RP3beta (which gives the three- and two-source picks too), then
  // RP3beta's weights around the three-source blend's usual choice (w 0.5-0.6, t 0.75), so each
  // validation pass scores about as many choices as the three-source grid did.
  const grid = (ws: number[], ts: number[], rs: number[]): BlendWeightsChoice[] =>
    ws.flatMap((easeWeight) => ts.flatMap((textWeight) => rs.map((rp3Weight) => ({ easeWeight, textWeight, rp3Weight }))));
  const choices = [
    ...grid(easeWeights, textWeights, [0]),
    ...grid(options.rp3EaseWeights ?? [0.3, 0.4, 0.5, 0.6], options.rp3TextWeights ?? [0.5, 0.75, 1], options.rp3Weights ?? [0.25, 0.5, 0.75, 1]),
  ];
  const progress = options.onProgress ?? (() => {});
  const data = await readLastfm2k(match[1]);
  const m = lastfmPlayMatrix(data);
  const catalogue = m.userItems.cols;
  const perSeed = lambdas.length + 4;
  let done = 0;
  const step = (message: string) => progress(message, ++done, perSeed * seeds.length);
  const alsOptions = { ...blendAlsDefaults, ...alsFlagOptions(options) };
  const alsBm25 = options.alsBm25 === null ? null : { ...blendBm25Defaults, ...options.alsBm25 };
  const fitSources = async (train: Csr, ease: Ease, hidden: Set<number>[], seed: number): Promise<Required<Sources>> => ({
    ease,
    als: await new ImplicitAls({ ...alsOptions, seed }).fit(alsBm25 ? bm25Weights(train, alsBm25) : train),
    tags: await TagScorer.build(data, m.users, m.items, hidden),
    rp3: new Rp3Beta(options.rp3).fit(train),
  });
  const result: BlendEvalResult = {};
  for (const [s, seed] of seeds.entries()) {
    const key = (name: string) => (s === 0 ? name : `${name} seed ${seed}`);
    const split = holdoutSplit(m.userItems, { seed });
    const validation = validationSplit(split.train, { seed });
    // Validation: EASE's lambda by its own recall@20 (as `--model ease`), keeping only the best fit.
    let lambda = lambdas[0],
      bestRecall = -Infinity,
      validationEase: Ease | null = null;
    for (const l of lambdas) {
      const ease = await new Ease({ lambda: l, minListeners }).fit(validation.train);
      step(`seed ${seed} validation: EASE lambda ${l}`);
      if (lambdas.length === 1) {
        lambda = l;
        validationEase = ease;
        break;
      }
      const [ranked] = rankChoices(validation, { ease }, [{ easeWeight: 1, textWeight: 0, rp3Weight: 0 }]);
      const recall = rankingMetrics(ranked, catalogue)["recall@20"];
      if (recall > bestRecall) {
        bestRecall = recall;
        lambda = l;
        validationEase = ease;
      }
    }
    const hiddenValidation = validation.test.map((t, u) => new Set([...t, ...split.test[u]]));
    const onValidation = await fitSources(validation.train, validationEase!, hiddenValidation, seed);
    step(`seed ${seed} validation: ALS, tags and RP3beta`);
    const validationMetrics = rankChoices(validation, onValidation, choices).map((r) => rankingMetrics(r, catalogue));
    step(`seed ${seed} validation: ${choices.length} weight choices`);
    validationEase = null;
    const picks = {
      blend: bestOf(choices, validationMetrics, () => true),
      "ease-als-text": bestOf(choices, validationMetrics, (c) => c.rp3Weight === 0),
      "ease-als": bestOf(choices, validationMetrics, (c) => c.textWeight === 0 && c.rp3Weight === 0),
      "als-text": bestOf(choices, validationMetrics, (c) => c.easeWeight === 0 && c.rp3Weight === 0),
    };
    const onTest = await fitSources(
      split.train,
      await new Ease({ lambda, minListeners }).fit(split.train),
      split.test.map((t) => new Set(t)),
      seed,
    );
    step(`seed ${seed} test: EASE lambda ${lambda}, ALS, tags and RP3beta refitted`);
    const alone = { ease: { easeWeight: 1, textWeight: 0, rp3Weight: 0 }, als: { easeWeight: 0, textWeight: 0, rp3Weight: 0 } };
    const tested = [picks.blend, picks["ease-als-text"], picks["ease-als"], picks["als-text"], alone.ease, alone.als];
    const [blend, easeAlsText, easeAls, alsText, ease, als] = rankChoices(split, onTest, tested).map((r) => rankingMetrics(r, catalogue));
    const [text, rp3] = rankChoices(split, { tags: onTest.tags, rp3: onTest.rp3 }, [
      { easeWeight: 0, textWeight: 1, rp3Weight: 0 },
      { easeWeight: 0, textWeight: 0, rp3Weight: 1 },
    ]).map((r) => rankingMetrics(r, catalogue));
    step(`seed ${seed} test: scored`);
    const validationOf = (c: BlendWeightsChoice) => {
      const j = choices.indexOf(c);
      return {
        "validation recall@20": Number(validationMetrics[j]["recall@20"].toFixed(4)),
        "validation ndcg@10": Number(validationMetrics[j]["ndcg@10"].toFixed(4)),
      };
    };
    result[key("blend")] = { ...blend, seed, lambda, ...picks.blend, validation: validationOf(picks.blend) };
    result[key("ease-als-text")] = { ...easeAlsText, seed, lambda, ...picks["ease-als-text"], validation: validationOf(picks["ease-als-text"]) };
    result[key("ease-als")] = { ...easeAls, seed, lambda, ...picks["ease-als"], validation: validationOf(picks["ease-als"]) };
    result[key("als-text")] = { ...alsText, seed, ...picks["als-text"], validation: validationOf(picks["als-text"]) };
    result[key("ease")] = { ...ease, seed, lambda };
    result[key("als")] = { ...als, seed };
    result[key("text")] = { ...text, seed };
    result[key("rp3beta")] = { ...rp3, seed };
    result[key("popularity")] = { ...rankingMetrics(popularityRankings(split), catalogue), seed };
  }
  return result;
}
