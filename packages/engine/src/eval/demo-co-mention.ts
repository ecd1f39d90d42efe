import { generateWorld, type DemoWorld } from "@deepcuts/demo";
import { csrFromTriples, type Csr, type DenseMatrix } from "@deepcuts/models/core";
import { neighbourReport } from "@deepcuts/models/eval";
import { ArtistLinker } from "../crawl/link.ts";
import { artistKey, culturalArtistOf, culturalVectors, trackKey } from "../training/text.ts";

export interface DemoCoMentionEvalOptions {
  seed?: number;
  /** A world to evaluate instead of the default-size one of `seed` (tests pass a small one). */
  world?: DemoWorld;
  /** Neighbours per artist (default 10). */
  k?: number;
  onProgress?: (message: string, done: number, total: number) => void;
}

export interface ArtistAgreement {
  /** Share of each artist's k nearest artists (cosine) of its own genre. */
  genreAgreement: number;
  /** The same share for k artists drawn at random (exact expectation). */
  randomAgreement: number;
  /** Median cosine of the k neighbours. */
  medianNeighbourScore: number;
}

export interface DemoCoMentionEvalResult {
  seed: number;
  k: number;
  artists: number;
  /** Artists with both a co-mention and a text vector: every agreement below is over these. */
  evaluatedArtists: number;
  articles: number;
  /** Linker: share of the names the generator wrote that it found, and of its links that were written. */
  linking: { recall: number; precision: number; mentions: number };
  coMention: ArtistAgreement & { dims: number; pairs: number };
  /** The text model over the world's bios, blog posts, reviews and tags (what the demo loads as documents). */
  text: ArtistAgreement & { dims: number };
  seconds: number;
}

/**
 * The articles x artists mention matrix of a demo world's generated articles, linked by the
 * crawler's own linker (artist column i is the world's artist i, numbered i + 1 elsewhere), and
 * how many names the generator wrote, the linker found, and found rightly.
 */
export function demoArticleMentions(world: DemoWorld): { mentions: Csr; written: number; found: number; right: number } {
  const artistNumber = new Map(world.artists.map((a, i) => [a.key, i + 1]));
  const linker = new ArtistLinker(world.artists.map((a, i) => ({ id: i + 1, name: a.name, aliases: [] })));
  const rows: number[] = [],
    cols: number[] = [];
  let written = 0,
    found = 0,
    right = 0;
  world.articles.forEach((article, r) => {
    const truth = new Set(article.artistKeys.map((key) => artistNumber.get(key)!));
    const links = linker.link(`${article.title}\n\n${article.text}`);
    written += truth.size;
    found += links.length;
    for (const m of links) {
      if (truth.has(m.artistId)) right++;
      rows.push(r);
      cols.push(m.artistId - 1);
    }
  });
  const mentions = csrFromTriples(world.articles.length, world.artists.length, {
    rows: Int32Array.from(rows),
    cols: Int32Array.from(cols),
    values: new Float32Array(rows.length).fill(1),
  });
  return { mentions, written, found, right };
}

/**
 * Genre agreement@k of artist neighbours on a demo world: co-mention vectors (PPMI + SVD) from
 * the world's generated articles, linked by the crawler's own linker, against the text model's
 * cultural vectors from the world's documents, both over the same artists. The generator writes
 * articles mostly about one scene, so this measures whether linking, PMI and the embedding keep
 * that signal through the noise (cross-genre comparisons and festival line-ups, popular artists
 * named everywhere), not whether real writing behaves so.
 */
export async function evaluateDemoCoMention(options: DemoCoMentionEvalOptions = {}): Promise<DemoCoMentionEvalResult> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => {});
  const k = options.k ?? 10;
  const world = options.world ?? generateWorld({ seed: options.seed ?? 42 });
  const seed = world.seed;
  const artistNumber = new Map(world.artists.map((a, i) => [a.key, i + 1]));

  progress("linking articles", 0, 3);
  const { mentions, written, found, right } = demoArticleMentions(world);
  const { coMentionVectors, CulturalModel } = await import("@deepcuts/models/text");
  const coMention = coMentionVectors(mentions, { seed });

  progress("text model", 1, 3);
  const trackNumber = new Map(world.tracks.map((t, i) => [t.key, i + 1]));
  const artistOfTrack = Int32Array.from(world.tracks, (t) => artistNumber.get(t.artistKey)!);
  const text = new CulturalModel({ artistOf: culturalArtistOf((id) => artistOfTrack[id - 1]) });
  await text.addDocuments(
    world.documents.map((d) => ({
      entityId: d.entityKind === "artist" ? artistKey(artistNumber.get(d.entityKey)!) : trackKey(trackNumber.get(d.entityKey)!),
      kind: d.entityKind,
      text: d.text,
    })),
  );
  text.fitDense({ seed });
  const textArtists = culturalVectors(text, []).artists;

  progress("neighbours", 2, 3);
  // Artist numbers (1-based) with a vector in both models, and each model's rows for them.
  const coRow = new Map(Array.from(coMention.artists, (column, r) => [column + 1, r]));
  const textRow = new Map(textArtists.ids.map((id, r) => [id, r]));
  const shared = [...coRow.keys()].filter((id) => textRow.has(id)).sort((a, b) => a - b);
  const genres = shared.map((id) => world.artists[id - 1].genre);
  const pickRows = (m: DenseMatrix, rowOf: Map<number, number>): DenseMatrix => {
    const data = new Float32Array(shared.length * m.cols);
    shared.forEach((id, r) => data.set(m.data.subarray(rowOf.get(id)! * m.cols, (rowOf.get(id)! + 1) * m.cols), r * m.cols));
    return { rows: shared.length, cols: m.cols, data };
  };
  const agreement = (m: DenseMatrix): ArtistAgreement => {
    const report = neighbourReport(m, genres, k);
    return { genreAgreement: report.labelAgreement, randomAgreement: report.randomAgreement, medianNeighbourScore: report.scoreQuantiles.p50 };
  };
  const result: DemoCoMentionEvalResult = {
    seed,
    k,
    artists: world.artists.length,
    evaluatedArtists: shared.length,
    articles: world.articles.length,
    linking: { recall: right / Math.max(written, 1), precision: right / Math.max(found, 1), mentions: found },
    coMention: { ...agreement(pickRows(coMention.vectors, coRow)), dims: coMention.dims, pairs: coMention.pairs },
    text: { ...agreement(pickRows(textArtists.matrix, textRow)), dims: textArtists.matrix.cols },
    seconds: (Date.now() - started) / 1000,
  };
  progress("done", 3, 3);
  return result;
}
