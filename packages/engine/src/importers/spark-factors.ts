import { createHash } from "node:crypto";
import type { Database } from "@deepcuts/db";
import { ImplicitAls } from "@deepcuts/models/cf";
import type { DenseMatrix } from "@deepcuts/models/core";
import { indexCacheFor } from "../similarity/index-cache.ts";
import { MODEL_ACTIVATION_LOCK } from "../training/model-versions.ts";
import { storeVectors } from "../training/vector-store.ts";
import { FactorFileError, readFactorFile, type FactorFile, type FactorOrigin } from "./factor-files.ts";
import type { Progress } from "../progress.ts";

export const FACTOR_MODELS = ["als"] as const;
export type FactorModel = (typeof FACTOR_MODELS)[number];

export interface FactorImportInput {
  /** Spark's `model.userFactors` written as Parquet: a file or a folder of part files. */
  users: string;
  /** Spark's `model.itemFactors`, likewise. */
  items: string;
  model?: FactorModel;
  /** Make the version the active ALS model (served at once); default false. */
  activate?: boolean;
  onProgress?: Progress;
}

export interface FactorImportResult {
  versionId: number;
  /** False when the same factors were imported before: that version is returned, nothing is stored twice. */
  created: boolean;
  active: boolean;
  users: number;
  items: number;
  factors: number;
  /** What the item ids are: tracks, or artists for artist-level data (as training uses). */
  level: "track" | "artist";
}

/**
 * Stores factors trained by Spark MLlib's ALS as a new ALS model version, in the same tables as a
 * version trained here (`model_versions` with the model file as artifact, `vectors` rows for
 * listeners and items), so weekly generation and similarity serve it unchanged. Checks first:
 * both tables have the same number of factors, every id names an existing listener or item
 * (the ids of `deepcuts export interactions`), no value is NaN or infinite. Then stores all or
 * nothing in one transaction. Importing the same factors again returns the earlier version.
 */
export async function importFactors(db: Database, input: FactorImportInput): Promise<FactorImportResult> {
  const onProgress = input.onProgress ?? (() => {});
  const model = input.model ?? "als";
  if (!FACTOR_MODELS.includes(model)) throw new RangeError(`model must be one of ${FACTOR_MODELS.join(", ")}, got '${model}'`);
  onProgress("reading user factors", 0, 4);
  const userOrigins = new Map<number, FactorOrigin>();
  const users = await readFactorFile(input.users, userOrigins);
  onProgress("reading item factors", 1, 4);
  const itemOrigins = new Map<number, FactorOrigin>();
  const items = await readFactorFile(input.items, itemOrigins);
  if (users.factors !== items.factors) {
    throw new FactorFileError(
      input.items,
      0,
      `column features: items have ${items.factors} factors but the users (${input.users}) have ${users.factors}; both must come from one ALSModel`,
    );
  }
  onProgress("checking ids", 2, 4);
  const [{ tracks }] = await db.query<{ tracks: boolean }>(`SELECT EXISTS (SELECT 1 FROM tracks) AS tracks`);
  const level = tracks ? "track" : "artist";
  await checkIdsExist(db, "users", "listener", users.ids, userOrigins);
  await checkIdsExist(db, tracks ? "tracks" : "artists", level, items.ids, itemOrigins);

  const userMatrix = inIdOrder(users);
  const itemMatrix = inIdOrder(items);
  const fingerprint = fingerprintOf(userMatrix, itemMatrix);
  const summary = { users: users.ids.length, items: items.ids.length, factors: users.factors, level } as const;

  onProgress("storing the model version", 3, 4);
  const outcome = await db.transaction(async (query) => {
    // Serialised with any other import of factors, so two at once cannot both store the same ones.
    await query(`SELECT pg_advisory_xact_lock(hashtext('deepcuts.import-factors'))`);
    const [earlier] = await query<{ id: number }>(
      `SELECT id FROM model_versions WHERE kind = 'ALS' AND status = 'READY' AND params->>'fingerprint' = $1 ORDER BY id LIMIT 1`,
      [fingerprint],
    );
    let versionId = earlier?.id;
    if (versionId === undefined) {
      const artifact = ImplicitAls.fromFactors(userMatrix.matrix, itemMatrix.matrix).save();
      const params = { source: "spark", factors: users.factors, fingerprint, usersFile: input.users, itemsFile: input.items };
      const metrics = { source: "spark", level, listeners: summary.users, items: summary.items };
      [{ id: versionId }] = await query<{ id: number }>(
        `INSERT INTO model_versions (kind, status, is_active, params, metrics, artifact, finished_at)
         VALUES ('ALS', 'READY', false, $1::jsonb, $2::jsonb, $3::bytea, now()) RETURNING id`,
        [JSON.stringify(params), JSON.stringify(metrics), artifact],
      );
      await storeVectors({ query }, versionId, "USER", userMatrix.ids, userMatrix.matrix);
      await storeVectors({ query }, versionId, tracks ? "TRACK" : "ARTIST", itemMatrix.ids, itemMatrix.matrix);
    }
    if (input.activate) {
      await query(MODEL_ACTIVATION_LOCK);
      await query(`UPDATE model_versions SET is_active = false WHERE kind = 'ALS' AND is_active AND id <> $1`, [versionId]);
      await query(`UPDATE model_versions SET is_active = true, activated_at = now() WHERE id = $1 AND NOT is_active`, [versionId]);
    }
    const [{ is_active }] = await query<{ is_active: boolean }>(`SELECT is_active FROM model_versions WHERE id = $1`, [versionId]);
    return { versionId, created: earlier === undefined, active: is_active };
  });
  if (input.activate) indexCacheFor(db).invalidate();
  onProgress("done", 4, 4);
  return { ...outcome, ...summary };
}

async function checkIdsExist(
  db: Database,
  table: "users" | "tracks" | "artists",
  what: string,
  ids: Int32Array,
  origins: Map<number, FactorOrigin>,
): Promise<void> {
  const absent = await db.query<{ id: number }>(
    `SELECT x.id FROM unnest($1::int[]) WITH ORDINALITY AS x(id, n) WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id = x.id) ORDER BY x.n LIMIT 5`,
    [Array.from(ids)],
  );
  if (absent.length === 0) return;
  const first = origins.get(absent[0].id)!;
  const more =
    absent.length > 1
      ? ` (also ${absent
          .slice(1)
          .map((r) => r.id)
          .join(", ")}${absent.length === 5 ? ", ..." : ""})`
      : "";
  throw new FactorFileError(
    first.file,
    first.row,
    `column id: no ${what} has id ${absent[0].id}${more}; factor ids must be the ids of deepcuts export interactions`,
  );
}

/** Rows sorted by id: the order `vectors` are read back in, which the model file's rows must follow. */
function inIdOrder(file: FactorFile): { ids: Int32Array; matrix: DenseMatrix } {
  const order = Array.from(file.ids.keys()).sort((a, b) => file.ids[a] - file.ids[b]);
  const k = file.factors;
  const data = new Float32Array(order.length * k);
  order.forEach((from, to) => data.set(file.data.subarray(from * k, (from + 1) * k), to * k));
  return { ids: Int32Array.from(order, (r) => file.ids[r]), matrix: { rows: order.length, cols: k, data } };
}

/** The same factors give the same fingerprint whatever the row order or the part files. */
function fingerprintOf(users: { ids: Int32Array; matrix: DenseMatrix }, items: { ids: Int32Array; matrix: DenseMatrix }): string {
  const hash = createHash("sha256");
  for (const side of [users, items]) {
    hash.update(`${side.ids.length}x${side.matrix.cols};`);
    hash.update(new Uint8Array(side.ids.buffer, side.ids.byteOffset, side.ids.byteLength));
    hash.update(new Uint8Array(side.matrix.data.buffer, side.matrix.data.byteOffset, side.matrix.data.byteLength));
  }
  return hash.digest("hex");
}
