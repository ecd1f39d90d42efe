import { NotFittedError } from "../core/errors.ts";
import type { Csr, DenseMatrix } from "../core/matrix.ts";
import type { BackendKind } from "../core/backend.ts";
import { createBackend, type CfBackend } from "./backend.ts";
import {
  factorScoreBlock,
  mostSimilar,
  normalisedRows,
  recommendByScores,
  type Recommendations,
  type RecommendOptions,
  type Recommender,
} from "./recommend.ts";

/**
 * What every matrix-factorisation model shares once fitted (as `implicit`'s
 * MatrixFactorizationBase): user and item factors, top-n recommendation by x_u . y_i (plus an
 * item bias where the model has one), and cosine neighbours of items and of users. Subclasses
 * fit, save and load; they hand their factors over with `setFactors`.
 */
export abstract class MatrixFactorization implements Recommender {
  private users: DenseMatrix | null = null;
  private items: DenseMatrix | null = null;
  private normalisedUsers: DenseMatrix | null = null;
  private normalisedItems: DenseMatrix | null = null;
  private scoringBackend: CfBackend | null = null;

  /** @param modelName for "not fitted" errors; @param backendName where scoring runs. */
  protected constructor(
    private readonly modelName: string,
    private readonly backendName: BackendKind,
  ) {}

  get userFactors(): DenseMatrix {
    if (!this.users) throw new NotFittedError(this.modelName);
    return this.users;
  }

  get itemFactors(): DenseMatrix {
    if (!this.items) throw new NotFittedError(this.modelName);
    return this.items;
  }

  /** The per-item term added to every user's scores (null when the model has none). */
  protected scoringItemBias(): Float32Array | null {
    return null;
  }

  protected setFactors(users: DenseMatrix, items: DenseMatrix): void {
    this.users = users;
    this.items = items;
    this.normalisedUsers = null;
    this.normalisedItems = null;
  }

  protected get backend(): CfBackend {
    this.scoringBackend ??= createBackend(this.backendName);
    return this.scoringBackend;
  }

  /** Top-n items per user (see `RecommendOptions`); userItems holds their histories. */
  recommend(userIndices: Int32Array, userItems: Csr, options: RecommendOptions): Recommendations {
    const users = this.userFactors,
      items = this.itemFactors;
    const score = factorScoreBlock(this.backend, users, items, this.scoringItemBias());
    return recommendByScores(score, userIndices, userItems, options, users.rows, items.rows);
  }

  /** The n items with the most similar factors (cosine), the item itself left out. */
  similarItems(itemIndex: number, n: number): Recommendations {
    this.normalisedItems ??= normalisedRows(this.itemFactors);
    return mostSimilar(this.backend, this.normalisedItems, itemIndex, n, "itemIndex");
  }

  /** The n users with the most similar factors (cosine), the user left out. */
  similarUsers(userIndex: number, n: number): Recommendations {
    this.normalisedUsers ??= normalisedRows(this.userFactors);
    return mostSimilar(this.backend, this.normalisedUsers, userIndex, n, "userIndex");
  }
}
