import type { Csr } from "../core/matrix.ts";
import type { Lastfm2k } from "../datasets/lastfm2k.ts";
import type { IdIndex } from "../core/id-index.ts";
import { CulturalModel } from "./model.ts";
import type { CulturalDocument, CulturalModelOptions } from "./options.ts";

/**
 * Scores listeners' affinity to artists from user tags: a listener's score for an artist is
 * its summed cultural similarity to the listener's training artists, shrunk by the artist's
 * number of tag documents n / (n + shrinkage) (Koren 2010's shrunk correlation). Tags a listener
 * put on any of `hidden[user]` (their held-out artists) are left out: they would leak the answer.
 */
export class TagScorer {
  private constructor(
    private readonly matrix: Csr,
    private readonly itemOfRow: Int32Array,
    private readonly rowOfItem: Int32Array,
    private readonly shrink: Float32Array,
    readonly documents: number,
    /** Artists with at least one tag document. */
    readonly taggedArtists: number,
    readonly leftOut: number,
  ) {}

  static async build(
    data: Lastfm2k,
    users: IdIndex<number>,
    items: IdIndex<number>,
    hidden: Set<number>[],
    options: {
      shrinkage?: number;
      model?: Omit<CulturalModelOptions, "artistOf">;
      onProgress?: (done: number, total: number) => void;
      signal?: AbortSignal;
    } = {},
  ): Promise<TagScorer> {
    const documents: CulturalDocument[] = [];
    let leftOut = 0;
    for (const tagging of data.taggings) {
      const item = items.indexOf(tagging.artistId);
      const tag = data.tags.get(tagging.tagId);
      if (item < 0 || tag === undefined) continue;
      const user = users.indexOf(tagging.userId);
      if (user >= 0 && hidden[user]?.has(item)) {
        leftOut++;
        continue;
      }
      documents.push({ entityId: String(tagging.artistId), kind: "artist", text: tag, source: "tag" });
    }
    const model = new CulturalModel(options.model ?? {});
    await model.addDocuments(documents, { onProgress: options.onProgress, signal: options.signal });
    const { matrix, entityIds } = model.culturalMatrix();
    const itemOfRow = Int32Array.from(entityIds, (id) => items.indexOf(Number(id)));
    const rowOfItem = new Int32Array(items.size).fill(-1);
    itemOfRow.forEach((item, row) => (rowOfItem[item] = row));
    const shrinkage = options.shrinkage ?? 20;
    const shrink = Float32Array.from(entityIds, (_, row) => {
      const n = model.corpus.documentCounts[row];
      return n / (n + shrinkage);
    });
    return new TagScorer(matrix, itemOfRow, rowOfItem, shrink, documents.length, matrix.rows, leftOut);
  }

  /** Scores of every artist for listener `user` of `train` (0 for artists without tags). */
  scores(train: Csr, user: number, out = new Float32Array(train.cols)): Float32Array {
    const m = this.matrix;
    const profile = new Float32Array(m.cols);
    for (let k = train.indptr[user]; k < train.indptr[user + 1]; k++) {
      const row = this.rowOfItem[train.indices[k]];
      if (row < 0) continue;
      for (let q = m.indptr[row]; q < m.indptr[row + 1]; q++) profile[m.indices[q]] += m.data[q];
    }
    out.fill(0);
    for (let row = 0; row < m.rows; row++) {
      let dot = 0;
      for (let q = m.indptr[row]; q < m.indptr[row + 1]; q++) dot += profile[m.indices[q]] * m.data[q];
      out[this.itemOfRow[row]] = dot * this.shrink[row];
    }
    return out;
  }
}
