import { describe, expect, it } from "vitest";
import { ImplicitAls } from "./als.ts";
import { LogisticMf } from "./lmf.ts";
import { userRowCount, withoutUserRows } from "./forget-users.ts";
import { ModelFileError } from "./model-file.ts";
import { randomPlays } from "./test-fixtures.ts";

const rowOf = (m: { cols: number; data: Float32Array }, r: number) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols));

describe("withoutUserRows", () => {
  it("takes listeners' rows out of an ALS file and keeps every other row and the item factors", async () => {
    const model = await new ImplicitAls({ factors: 4, iterations: 2, threads: 1, seed: 3, backend: "cpu" }).fit(randomPlays(6, 10, 3, 1));
    const bytes = withoutUserRows(model.save(), [1, 4]);
    const after = ImplicitAls.load(bytes);
    expect(userRowCount(bytes)).toBe(4);
    expect([0, 1, 2, 3].map((r) => rowOf(after.userFactors, r))).toEqual([0, 2, 3, 5].map((r) => rowOf(model.userFactors, r)));
    expect(Array.from(after.itemFactors.data)).toEqual(Array.from(model.itemFactors.data));
  });

  it("takes the listener's bias out of an LMF file with their factors", async () => {
    const model = await new LogisticMf({ factors: 4, iterations: 2, seed: 3 }).fit(randomPlays(5, 8, 3, 2));
    const after = LogisticMf.load(withoutUserRows(model.save(), [0]));
    expect(after.userFactors.rows).toBe(4);
    expect(Array.from(after.userBias)).toEqual(Array.from(model.userBias).slice(1));
    expect(rowOf(after.userFactors, 0)).toEqual(rowOf(model.userFactors, 1));
  });

  it("refuses a row outside the model and a file without listeners", async () => {
    const model = await new ImplicitAls({ factors: 4, iterations: 1, threads: 1, seed: 1, backend: "cpu" }).fit(randomPlays(3, 5, 2, 1));
    expect(() => withoutUserRows(model.save(), [3])).toThrow(/row 3 is outside the model's 3 user rows/);
    const notCf = new Uint8Array(32);
    expect(() => withoutUserRows(notCf, [0])).toThrow(ModelFileError);
  });
});
