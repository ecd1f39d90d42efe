import type { Database } from "@deepcuts/db";

/**
 * Where a listener's rows live, read from the database's own catalogue rather than from a list
 * kept by hand: a table added later that refers to a listener is found the day it is migrated.
 * A table refers to a listener when it has
 *  - a foreign key to `users` (or, transitively, to a row that does: playlist items through
 *    their playlist), or a reference checked per statement by triggers instead of a foreign key
 *    (migrations 20261206200000_bulk_reference_checks and 20261209000000_playlist_item_reference_checks),
 *  - a listener column without a foreign key (`user_id`, `listener_id`, `*_user_id`), or
 *  - an entity reference (`entity_kind` + `entity_id`) whose kind is USER (vectors, top terms).
 */

type Query = Database["query"];

export interface ForeignKey {
  name: string;
  child: string;
  parent: string;
  childColumns: string[];
  parentColumns: string[];
  /** PostgreSQL's confdeltype: a no action, r restrict, c cascade, n set null, d set default. */
  onDelete: string;
  /** True for a reference checked per statement by triggers rather than declared as a foreign key. */
  perStatement?: boolean;
}

/** A set of rows tied to one listener: `where` uses $1 for the listener's id. */
export interface ListenerRows {
  table: string;
  where: string;
  /** How the rows were found: the foreign key path or the column that names the listener. */
  via: string;
  /** Rows kept with their reference set to NULL (a nullable foreign key declared ON DELETE SET NULL). */
  nullify?: string[];
}

export interface ListenerCatalogue {
  foreignKeys: ForeignKey[];
  /** Every table and condition that holds rows of the listener, parents before children. */
  rows: ListenerRows[];
}

const LISTENER_COLUMN = /^(user_id|listener_id|.+_user_id)$/;

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Foreign keys, and the references that triggers check per statement instead (below). */
export async function foreignKeys(query: Query): Promise<ForeignKey[]> {
  return [...(await declaredForeignKeys(query)), ...(await referencesCheckedPerStatement(query))];
}

async function declaredForeignKeys(query: Query): Promise<ForeignKey[]> {
  return query<ForeignKey>(
    `SELECT c.conname::text AS name, cl.relname::text AS child, pa.relname::text AS parent, c.confdeltype::text AS "onDelete",
            (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY AS k(n, i)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS "childColumns",
            (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY AS k(n, i)
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS "parentColumns"
     FROM pg_constraint c
     JOIN pg_class cl ON cl.oid = c.conrelid
     JOIN pg_namespace ns ON ns.oid = cl.relnamespace
     JOIN pg_class pa ON pa.oid = c.confrelid
     WHERE c.contype = 'f' AND ns.nspname = current_schema()
     ORDER BY cl.relname, c.conname`,
  );
}

/**
 * References kept by triggers instead of foreign keys: `check_references_per_statement` on the
 * child names (column, parent) pairs; `delete_referencing_per_statement` on a parent names the
 * (child, column) pairs it deletes with it (ON DELETE CASCADE); without one, deleting a parent
 * still named is refused (ON DELETE RESTRICT). The parent's key is always `id`.
 */
async function referencesCheckedPerStatement(query: Query): Promise<ForeignKey[]> {
  const triggers = await query<{ name: string; table: string; fn: string; args: string[] }>(
    `SELECT t.tgname::text AS name, c.relname::text AS "table", p.proname::text AS fn,
            (string_to_array(encode(t.tgargs, 'escape'), '\\000'))[1:t.tgnargs] AS args
     FROM pg_trigger t
     JOIN pg_class c ON c.oid = t.tgrelid
     JOIN pg_namespace ns ON ns.oid = c.relnamespace
     JOIN pg_proc p ON p.oid = t.tgfoid
     WHERE NOT t.tgisinternal AND ns.nspname = current_schema()
       AND p.proname IN ('check_references_per_statement', 'delete_referencing_per_statement')
     ORDER BY c.relname, t.tgname`,
  );
  const pairs = (args: string[]) => Array.from({ length: Math.floor(args.length / 2) }, (_, i) => [args[2 * i], args[2 * i + 1]]);
  const cascades = new Set(
    triggers
      .filter((t) => t.fn === "delete_referencing_per_statement")
      .flatMap((t) => pairs(t.args).map(([child, column]) => `${t.table}<-${child}.${column}`)),
  );
  const references = new Map<string, ForeignKey>();
  for (const t of triggers.filter((t) => t.fn === "check_references_per_statement")) {
    for (const [column, parent] of pairs(t.args)) {
      const key = `${parent}<-${t.table}.${column}`;
      if (references.has(key)) continue; // the insert and the update trigger name the same reference
      references.set(key, {
        name: t.name,
        child: t.table,
        parent,
        childColumns: [column],
        parentColumns: ["id"],
        onDelete: cascades.has(key) ? "c" : "r",
        perStatement: true,
      });
    }
  }
  return [...references.values()];
}

/** Ordinary tables of the application's schema with their column names. */
async function tableColumns(query: Query): Promise<Map<string, string[]>> {
  const rows = await query<{ table: string; column: string }>(
    `SELECT c.table_name::text AS "table", c.column_name::text AS "column"
     FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, string[]>();
  for (const r of rows) tables.set(r.table, [...(tables.get(r.table) ?? []), r.column]);
  return tables;
}

const MAX_DEPTH = 8;

/**
 * Every table and condition holding rows of one listener. Roots: `users` itself, tables with a
 * listener column that is no foreign key, and tables with USER entity references; then, from
 * each, every table whose foreign key points at those rows, and so on (children come after
 * their parents in `rows`, so deleting in reverse order never trips a foreign key).
 */
export async function listenerCatalogue(query: Query): Promise<ListenerCatalogue> {
  const keys = await foreignKeys(query);
  const tables = await tableColumns(query);
  const fkColumn = new Set(keys.filter((k) => k.childColumns.length === 1).map((k) => `${k.child}.${k.childColumns[0]}`));
  const rows: ListenerRows[] = [];

  const visit = (table: string, where: string, via: string, depth: number) => {
    if (depth > MAX_DEPTH) throw new Error(`foreign keys from ${table} nest deeper than ${MAX_DEPTH} levels (${via}): a cycle?`);
    rows.push({ table, where, via });
    for (const key of keys) {
      if (key.parent !== table || key.child === table) continue; // a self-reference is deleted with its own rows
      const childCols = key.childColumns.map(quoteIdent).join(", ");
      const parentCols = key.parentColumns.map(quoteIdent).join(", ");
      const childWhere = `(${childCols}) IN (SELECT ${parentCols} FROM ${quoteIdent(table)} WHERE ${where})`;
      const childVia = `${via} <- ${key.child}.${key.childColumns.join("+")}`;
      if (key.onDelete === "n") rows.push({ table: key.child, where: childWhere, via: childVia, nullify: key.childColumns });
      else visit(key.child, childWhere, childVia, depth + 1);
    }
  };

  visit("users", `"id" = $1`, "users.id", 0);
  for (const [table, columns] of tables) {
    for (const column of columns) {
      if (LISTENER_COLUMN.test(column) && !fkColumn.has(`${table}.${column}`)) visit(table, `${quoteIdent(column)} = $1`, `${table}.${column}`, 0);
    }
    if (columns.includes("entity_kind") && columns.includes("entity_id")) {
      visit(table, `"entity_kind"::text = 'USER' AND "entity_id" = $1`, `${table}.entity_kind=USER`, 0);
    }
  }
  return { foreignKeys: keys, rows };
}

/** How many rows each table still holds for the listener (tables with none are left out). */
export async function countListenerRows(query: Query, userId: number, catalogue?: ListenerCatalogue): Promise<Record<string, number>> {
  const { rows } = catalogue ?? (await listenerCatalogue(query));
  // A table reached by several paths (events through users and through playlists) counts each row once.
  const byTable = new Map<string, string[]>();
  for (const r of rows) byTable.set(r.table, [...(byTable.get(r.table) ?? []), `(${r.where})`]);
  const counts: Record<string, number> = {};
  for (const [table, wheres] of byTable) {
    const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(table)} WHERE ${wheres.join(" OR ")}`, [userId]);
    if (row.n > 0) counts[table] = row.n;
  }
  return counts;
}
