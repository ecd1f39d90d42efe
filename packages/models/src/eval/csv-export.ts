import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { DenseMatrix } from "../core/matrix.ts";
import type { HoldoutSplit } from "./split.ts";

/** Writes a CSV built in memory: a header and one line per row. */
async function writeCsv(path: string, header: string, rows: number, line: (r: number) => string): Promise<void> {
  const parts: string[] = [header];
  for (let r = 0; r < rows; r++) parts.push(line(r));
  await writeFile(path, parts.join("\n") + "\n");
}

/** users.csv and items.csv: dense 0-based index to the data set's own id. */
export async function writeIdMaps(dir: string, userIds: ArrayLike<string | number>, itemIds: ArrayLike<string | number>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeCsv(join(dir, "users.csv"), "index,user_id", userIds.length, (r) => `${r},${userIds[r]}`);
  await writeCsv(join(dir, "items.csv"), "index,item_id", itemIds.length, (r) => `${r},${itemIds[r]}`);
}

/**
 * The split as CSV with 0-based dense ids: train.csv (user,item,value) and test.csv (user,item),
 * plus the id maps, so any other tool can score exactly the same split.
 */
export async function writeSplitCsv(dir: string, split: HoldoutSplit, userIds: ArrayLike<string | number>, itemIds: ArrayLike<string | number>): Promise<void> {
  await writeIdMaps(dir, userIds, itemIds);
  const t = split.train;
  const trainLines: string[] = ["user,item,value"];
  for (let u = 0; u < t.rows; u++) {
    for (let q = t.indptr[u]; q < t.indptr[u + 1]; q++) trainLines.push(`${u},${t.indices[q]},${t.data[q]}`);
  }
  await writeFile(join(dir, "train.csv"), trainLines.join("\n") + "\n");
  const testLines: string[] = ["user,item"];
  split.test.forEach((items, u) => items.forEach((i) => testLines.push(`${u},${i}`)));
  await writeFile(join(dir, "test.csv"), testLines.join("\n") + "\n");
}

/** `<model>.user_factors.csv` / `<model>.item_factors.csv`: index then f0..f(k-1), optional bias column. */
export async function writeFactorsCsv(dir: string, model: string, users: DenseMatrix, items: DenseMatrix, itemBias?: Float32Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const header = (what: string, bias: boolean) => [what, ...Array.from({ length: users.cols }, (_, f) => `f${f}`), ...(bias ? ["bias"] : [])].join(",");
  const line = (m: DenseMatrix, bias?: Float32Array) => (r: number) =>
    [r, ...m.data.subarray(r * m.cols, (r + 1) * m.cols), ...(bias ? [bias[r]] : [])].join(",");
  await writeCsv(join(dir, `${model}.user_factors.csv`), header("user", false), users.rows, line(users));
  await writeCsv(join(dir, `${model}.item_factors.csv`), header("item", !!itemBias), items.rows, line(items, itemBias));
}
