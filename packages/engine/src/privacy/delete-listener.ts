import type { Database } from "@deepcuts/db";
import { forgetCachedApiKeys } from "../keys.ts";
import { missing } from "../service-error.ts";
import { indexCacheFor } from "../similarity/index-cache.ts";
import { countListenerRows, listenerCatalogue, quoteIdent } from "./catalogue.ts";
import { lockVersionsOf, removeListenersFromVersion } from "./model-rows.ts";

export interface DeletedListener {
  userId: number;
  externalKey: string;
  /** Rows removed (or, for ON DELETE SET NULL references, detached) per table, vectors included. */
  tables: { table: string; rows: number }[];
  /** Model versions whose USER vectors (and artifact rows) held the listener. */
  modelVersions: number[];
  /** Rows taken out of saved collaborative models (their user factor matrices). */
  artifactRows: number;
}

/**
 * Deletes a listener and every row that refers to them, in one transaction: the tables come
 * from the database's catalogue (privacy/catalogue.ts), so one added later is covered without
 * a change here. The listener's row is locked first: a weekly generation or an event batch for
 * them either commits before (and its rows are deleted with the rest) or runs after and finds
 * no listener. Their vectors leave every model version, and those versions' revisions move on,
 * so each replica's neighbour index is rebuilt without them at its next request.
 */
export async function deleteListener(db: Database, userId: number): Promise<DeletedListener> {
  const result = await db.transaction(async (query) => {
    const [user] = await query<{ id: number; external_key: string }>(`SELECT id, external_key FROM users WHERE id = $1 FOR UPDATE`, [userId]);
    if (!user) throw missing(`listener ${userId}`);
    const catalogue = await listenerCatalogue(query);
    const before = await countListenerRows(query, userId, catalogue);

    const versions = await lockVersionsOf(query, userId);
    let artifactRows = 0;
    for (const versionId of versions) artifactRows += (await removeListenersFromVersion(query, versionId, [userId])).artifactRows;

    // Children before parents: the catalogue lists parents first.
    for (const rows of [...catalogue.rows].reverse()) {
      if (rows.nullify) {
        const set = rows.nullify.map((c) => `${quoteIdent(c)} = NULL`).join(", ");
        await query(`UPDATE ${quoteIdent(rows.table)} SET ${set} WHERE ${rows.where}`, [userId]);
      } else {
        await query(`DELETE FROM ${quoteIdent(rows.table)} WHERE ${rows.where}`, [userId]);
      }
    }
    const left = await countListenerRows(query, userId, catalogue);
    if (Object.keys(left).length) throw new Error(`deleting listener ${userId} left rows behind: ${JSON.stringify(left)}`);
    return {
      userId,
      externalKey: user.external_key,
      tables: Object.entries(before)
        .map(([table, rows]) => ({ table, rows }))
        .sort((a, b) => a.table.localeCompare(b.table)),
      modelVersions: versions,
      artifactRows,
    };
  });
  // This process learns at once; other replicas at their next request, by the version revisions
  // (and, for the listener's API keys, within their cache's TTL).
  indexCacheFor(db).invalidate();
  forgetCachedApiKeys();
  return result;
}

/** A listener by database id or external key (`u42`, a Last.fm name): the CLI's `--user`. */
export async function findListener(db: Database, idOrKey: string): Promise<{ id: number; externalKey: string }> {
  const byKey = await db.query<{ id: number; externalKey: string }>(`SELECT id, external_key AS "externalKey" FROM users WHERE external_key = $1`, [idOrKey]);
  if (byKey.length) return byKey[0];
  if (/^[1-9][0-9]{0,9}$/.test(idOrKey)) {
    const byId = await db.query<{ id: number; externalKey: string }>(`SELECT id, external_key AS "externalKey" FROM users WHERE id = $1`, [Number(idOrKey)]);
    if (byId.length) return byId[0];
  }
  throw missing(`listener '${idOrKey}' (no external key or id matches)`);
}
