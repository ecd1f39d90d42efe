import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import type { SchemaTree } from "hyparquet";

/** Factor rows as Spark MLlib's `ALSModel.userFactors` / `itemFactors` write them: `id` int, `features` array<float>. */
export interface FactorFile {
  /** The file or folder given. */
  path: string;
  /** Ids in file order (the Parquet part files in name order). */
  ids: Int32Array;
  /** Row-major, `ids.length` x `factors`. */
  data: Float32Array;
  factors: number;
}

/** Where each id was read: for errors that name a file and row after the read. */
export interface FactorOrigin {
  file: string;
  row: number;
}

const MAX_FACTORS = 1024;
const ROWS_PER_SLICE = 65_536;

/** A bad factor file: names the file, and the 1-based row within it and the column where one is at fault. */
export class FactorFileError extends Error {
  constructor(
    readonly file: string,
    readonly row: number,
    readonly problem: string,
  ) {
    super(row > 0 ? `${file}: row ${row}, ${problem}` : `${file}: ${problem}`);
    this.name = "FactorFileError";
  }
}

/**
 * The Parquet files of a factor table: the file itself, or every `*.parquet` part in a folder
 * (what `df.write.parquet(path)` leaves, `_SUCCESS` and `.crc` files aside), in name order.
 */
export async function factorParts(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new FactorFileError(path, 0, "does not exist");
  if (!info.isDirectory()) return [path];
  const parts = (await readdir(path)).filter((f) => f.endsWith(".parquet") && !f.startsWith(".") && !f.startsWith("_")).sort();
  if (parts.length === 0) throw new FactorFileError(path, 0, "is a folder with no .parquet files (expected Spark's part-*.parquet)");
  return parts.map((f) => join(path, f));
}

/**
 * Reads and checks one factor table: an integer `id` column and a `features` list of floats,
 * every row the same length (1..1024), every value finite, no id twice. Errors name the part
 * file, the 1-based row within it and the column.
 */
export async function readFactorFile(path: string, origins?: Map<number, FactorOrigin>): Promise<FactorFile> {
  const ids: number[] = [];
  let data = new Float32Array(0);
  let factors = 0;
  const seen = origins ?? new Map<number, FactorOrigin>();
  const unreadable = (file: string, error: unknown) =>
    error instanceof FactorFileError ? error : new FactorFileError(file, 0, `not a readable Parquet file: ${(error as Error).message}`);
  for (const file of await factorParts(path)) {
    const bytes = await readFile(file);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    let metadata: ReturnType<typeof parquetMetadata>;
    try {
      metadata = parquetMetadata(buffer);
      checkSchema(file, parquetSchema(metadata));
    } catch (error) {
      throw unreadable(file, error);
    }
    // Rows are decoded a slice at a time: a million listeners never exist as JavaScript objects at once.
    const numRows = Number(metadata.num_rows);
    for (let sliceStart = 0; sliceStart < numRows; sliceStart += ROWS_PER_SLICE) {
      let rows: Record<string, unknown>[];
      try {
        rows = await parquetReadObjects({
          file: buffer,
          metadata,
          columns: ["id", "features"],
          rowStart: sliceStart,
          rowEnd: Math.min(numRows, sliceStart + ROWS_PER_SLICE),
        });
      } catch (error) {
        throw unreadable(file, error);
      }
      for (let j = 0; j < rows.length; j++) {
        const r = sliceStart + j;
        const at = (column: string, problem: string) => new FactorFileError(file, r + 1, `column ${column}: ${problem}`);
        const rawId = rows[j].id;
        const id = typeof rawId === "bigint" ? Number(rawId) : rawId;
        if (typeof id !== "number" || !Number.isInteger(id) || id < 1 || id > 2_147_483_647) {
          throw at(
            "id",
            `must be a positive 32-bit integer, got ${typeof rawId === "number" || typeof rawId === "bigint" ? `${rawId}` : rawId === null ? "null" : typeof rawId}`,
          );
        }
        const previous = seen.get(id);
        if (previous) throw at("id", `id ${id} appears twice (first at ${previous.file} row ${previous.row})`);
        seen.set(id, { file, row: r + 1 });
        const features = rows[j].features;
        if (!Array.isArray(features))
          throw at("features", `must be a list of floats, got ${features === null || features === undefined ? "null" : typeof features}`);
        if (factors === 0) {
          if (features.length < 1 || features.length > MAX_FACTORS) throw at("features", `must hold 1..${MAX_FACTORS} factors, got ${features.length}`);
          factors = features.length;
        } else if (features.length !== factors) {
          throw at("features", `has ${features.length} factors, the rows before it ${factors}`);
        }
        if ((ids.length + 1) * factors > data.length) {
          const grown = new Float32Array(Math.max(1024, 2 * data.length, (ids.length + 1) * factors));
          grown.set(data);
          data = grown;
        }
        const offset = ids.length * factors;
        for (let f = 0; f < factors; f++) {
          const value: unknown = features[f];
          if (typeof value !== "number" || !Number.isFinite(value)) {
            const shown = typeof value === "number" ? `${value}` : value === null ? "null" : typeof value; // NaN and Infinity by name
            throw at("features", `element ${f} is ${shown}, not a finite number`);
          }
          data[offset + f] = value;
        }
        ids.push(id);
      }
    }
  }
  if (ids.length === 0) throw new FactorFileError(path, 0, "holds no factor rows");
  return { path, ids: Int32Array.from(ids), data: data.slice(0, ids.length * factors), factors };
}

/** `id` an INT32 or INT64 column; `features` a list (any of Parquet's LIST layouts) of FLOAT or DOUBLE. */
function checkSchema(file: string, schema: SchemaTree): void {
  const columns = schema.children.map((c) => c.element.name);
  const column = (name: string) => {
    const found = schema.children.find((c) => c.element.name === name);
    if (!found)
      throw new FactorFileError(
        file,
        0,
        `no column '${name}' (columns: ${columns.join(", ")}); expected Spark ALSModel factors: id int, features array<float>`,
      );
    return found;
  };
  const id = column("id");
  if (id.children.length > 0 || !["INT32", "INT64"].includes(id.element.type ?? "")) {
    throw new FactorFileError(file, 0, `column id: must be an integer column (INT32 or INT64), got ${id.element.type ?? "a group"}`);
  }
  const features = column("features");
  let leaf = features;
  let depth = 0;
  while (leaf.children.length === 1) {
    leaf = leaf.children[0];
    depth++;
  }
  const repeated = features.element.repetition_type === "REPEATED" || depth > 0;
  if (!repeated || leaf.children.length > 0 || !["FLOAT", "DOUBLE"].includes(leaf.element.type ?? "")) {
    throw new FactorFileError(
      file,
      0,
      `column features: must be a list of FLOAT or DOUBLE, got ${leaf.children.length > 0 ? "a struct" : (leaf.element.type ?? "a group")}${repeated ? " elements" : ""}`,
    );
  }
}
