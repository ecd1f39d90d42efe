import { NotFittedError } from "../core/errors.ts";
import type { Csr } from "../core/matrix.ts";
import { readModelFile, writeModelFile } from "./model-file.ts";
import { recommendByScores, type FitOptions, type Recommendations, type RecommendOptions, type Recommender } from "./recommend.ts";
import { checkCsr } from "./signals.ts";

/**
 * The baseline every model is reported beside: ranks items by how many users interacted with
 * them in training, the same list for everyone minus what each user already has.
 */
export class PopularityModel implements Recommender {
  private listeners: Float32Array | null = null;
  private userCount = 0;

  /** Listener count per item. */
  get itemPopularity(): Float32Array {
    if (!this.listeners) throw new NotFittedError("PopularityModel");
    return this.listeners;
  }

  async fit(userItems: Csr, options: FitOptions = {}): Promise<this> {
    checkCsr(userItems, "userItems");
    const started = performance.now();
    const counts = new Float32Array(userItems.cols);
    for (let q = 0; q < userItems.indptr[userItems.rows]; q++) if (userItems.data[q] > 0) counts[userItems.indices[q]]++;
    this.listeners = counts;
    this.userCount = userItems.rows;
    options.onIteration?.(1, 1, { seconds: (performance.now() - started) / 1000, device: "typed-array CPU" });
    return this;
  }

  recommend(userIndices: Int32Array, userItems: Csr, options: RecommendOptions): Recommendations {
    const popularity = this.itemPopularity;
    const m = popularity.length;
    const score = (users: Int32Array) => {
      const block = new Float32Array(users.length * m);
      for (let j = 0; j < users.length; j++) block.set(popularity, j * m);
      return block;
    };
    return recommendByScores(score, userIndices, userItems, options, this.userCount, m);
  }

  save(): Uint8Array {
    return writeModelFile("popularity", { users: this.userCount }, [{ rows: 1, cols: this.itemPopularity.length, data: this.itemPopularity }]);
  }

  static load(bytes: Uint8Array): PopularityModel {
    const file = readModelFile(bytes, "popularity");
    const users = Number(file.params.users);
    if (file.matrices.length !== 1 || !Number.isInteger(users) || users < 0)
      throw new RangeError("popularity model file must hold one count row and a user count");
    const model = new PopularityModel();
    model.listeners = file.matrices[0].data;
    model.userCount = users;
    return model;
  }
}
