import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { PrismaClient } from "./generated/client.ts";
import { databaseConfig, type DatabaseConfig } from "./config.ts";
import { acquireLock, readLock } from "./lock.ts";
import { pgliteExtensions } from "./extensions.ts";

/** Where the database lives: in-process PGlite, PGlite behind a socket server, or a PostgreSQL server. */
export const DATABASE_TARGETS = ["embedded", "embedded-server", "postgres"] as const;
export type DatabaseTarget = (typeof DATABASE_TARGETS)[number];

/**
 * Loads rows in PostgreSQL's COPY text format (columns separated by tabs, `\N` for null, one row
 * a line, escaped as COPY expects) into `table`, inside the current transaction: COPY FROM STDIN
 * on PostgreSQL, COPY from a blob (`/dev/blob`) on in-process PGlite, and on PGlite behind its
 * socket server, which loses protocol sync on COPY FROM STDIN, one INSERT of the same rows
 * (`insertingCopyRows`).
 */
export type CopyRows = (table: string, columns: string[], text: string) => Promise<void>;

/**
 * `copyRows` for a connection without COPY FROM STDIN (PGlite behind its socket server): each
 * batch as one INSERT through `query`, the rows of its text (as `copyText` and `copyNumber` write
 * them) as one array parameter per column, cast to the column's type. The types come from the
 * catalogue once per table for the life of the returned function (one transaction).
 */
export function insertingCopyRows(query: Database["query"]): CopyRows {
  const typesOf = new Map<string, Promise<Map<string, string>>>();
  const columnTypes = async (table: string) => {
    const rows = await query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
      [table],
    );
    return new Map(rows.map((t) => [t.name, t.type]));
  };
  return async (table, columns, text) => {
    if (text === "") return;
    let types = typesOf.get(table);
    if (!types) typesOf.set(table, (types = columnTypes(table)));
    const typeOf = await types;
    const cells = text
      .slice(0, -1)
      .split("\n")
      .map((line) => line.split("\t").map((c) => (c === "\\N" ? null : c.replace(/\\(.)/g, (_, x: string) => ({ t: "\t", n: "\n", r: "\r" })[x] ?? x))));
    await query(
      `INSERT INTO ${table} (${columns.join(", ")}) SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${typeOf.get(c)}[]`).join(", ")})`,
      columns.map((_, i) => cells.map((row) => row[i])),
    );
  };
}

export interface QueryOptions {
  /** Prepared-statement name: one per distinct SQL text. */
  name?: string;
}

/**
 * An open database: the Prisma client for ordinary work, plus raw SQL for bulk paths and
 * migrations (Prisma's createMany is 10-20x slower than a multi-row INSERT ... unnest).
 */
export interface Database {
  prisma: PrismaClient;
  target: DatabaseTarget;
  /** Human-readable location (data directory or server address, password hidden). */
  location: string;
  /**
   * Runs parameterised SQL and returns its rows. A plain function (no `this`), so it may be
   * passed on as `db.query`. `options.name` makes it a named prepared statement on PostgreSQL:
   * each connection parses and plans it once and reuses the plan (a name must always go with
   * the same text); the embedded targets ignore it.
   */
  query: <T = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions) => Promise<T[]>;
  /**
   * pg-boss's database contract (`{ rows }`): with no parameters the text may hold several
   * statements (its schema scripts), which PGlite runs only through `exec`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg-boss's own type for this contract
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
  /** Runs a script of several statements inside one transaction (all or nothing). */
  execScript(sql: string): Promise<void>;
  /** Runs `work` inside one transaction on a single connection (`copyRows` for bulk loads). */
  transaction<T>(work: (query: Database["query"], copyRows: CopyRows) => Promise<T>): Promise<T>;
  /**
   * The same database with every statement limited to `ms` (PostgreSQL's statement_timeout),
   * for work done on behalf of one request. On PostgreSQL it is a second pool of connections
   * opened on first use and closed with this one; PGlite cannot cancel a running statement, so
   * the embedded targets return this database unchanged (their bound comes from bounded inputs
   * and indexes). 0 turns the limit off.
   */
  withStatementTimeout(ms: number): Promise<Database>;
  /** The statement_timeout of this database's connections in ms, or null when none is set. */
  statementTimeoutMs: number | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  config?: DatabaseConfig;
  /** Label written into the lock file so a second opener learns who holds the database. */
  command?: string;
}

/** Directory of the embedded database inside $DEEPCUTS_HOME. */
export function embeddedDataDir(home: string): string {
  return join(home, "pglite");
}

/**
 * Opens the configured database: PostgreSQL when DATABASE_URL is set; otherwise the embedded
 * PGlite directory, through the running server's socket when `deepcuts serve` owns it, or
 * in-process (taking the lock) when nobody does.
 */
export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const config = options.config ?? databaseConfig();
  if (config.databaseUrl) return openPostgres(config.databaseUrl, "postgres");
  const dataDir = embeddedDataDir(config.home);
  const owner = readLock(dataDir);
  if (owner?.mode === "server" && owner.port) {
    return openPostgres(`postgresql://postgres@127.0.0.1:${owner.port}/postgres`, "embedded-server", dataDir, 1);
  }
  return openEmbedded(dataDir, options.command ?? process.argv.slice(1).join(" "));
}

/**
 * Server settings of in-process PGlite, whose memory is this process's own and never shrinks.
 * shared_buffers: 32MB instead of PGlite's 128MB (its WebAssembly memory then stays within the
 * 128 MiB it starts with, and the process opens at about 290 MiB RSS instead of 390; pages it
 * evicts stay in the operating system's cache); a 1,000,000-event import spent no more CPU
 * (docs/benchmarks.md, "Bulk event import by COPY").
 */
const EMBEDDED_SETTINGS = ["-c", "shared_buffers=32MB"];

/** Opens PGlite in this process; the lock makes a second opener fail with a clear error. */
export async function openEmbedded(dataDir: string, command: string): Promise<Database> {
  const release = acquireLock(dataDir, { mode: "in-process", command });
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({ dataDir, extensions: pgliteExtensions, startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS] });
  } catch (error) {
    release();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const query = async <T>(sql: string, params: unknown[] = []) => (await pglite.query<T>(sql, params)).rows;
  let closed = false;
  const db: Database = {
    prisma,
    target: "embedded",
    location: dataDir,
    query,
    statementTimeoutMs: null,
    withStatementTimeout: async () => db,
    async executeSql(text, values) {
      if (values && values.length) return { rows: (await pglite.query(text, values)).rows };
      const results = await pglite.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
    async execScript(sql) {
      await pglite.transaction(async (tx) => void (await tx.exec(sql)));
    },
    async transaction(work) {
      return pglite.transaction(async (tx) =>
        work(
          async <T>(sql: string, params: unknown[] = []) => (await tx.query<T>(sql, params)).rows,
          async (table, columns, text) => void (await tx.query(`COPY ${table} (${columns.join(", ")}) FROM '/dev/blob'`, [], { blob: new Blob([text]) })),
        ),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pglite.query("CHECKPOINT");
      await pglite.close();
      release();
    },
  };
  return db;
}

/** Opens a PostgreSQL server (a real one, or the embedded database's socket server). */
export async function openPostgres(
  url: string,
  target: DatabaseTarget = "postgres",
  location = url.replace(/\/\/([^:@/]*)(:[^@]*)?@/, "//$1@"),
  maxConnections = 8,
  options: { statementTimeoutMs?: number } = {},
): Promise<Database> {
  const statementTimeoutMs = options.statementTimeoutMs || null;
  // pglite-socket resets connections beyond its limit instead of queueing them.
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}) });
  pool.on("error", () => {}); // idle-client errors surface on the next query instead
  const client = await pool.connect().catch((error: Error) => {
    throw new Error(`cannot connect to the database at ${location}: ${error.message}`);
  });
  client.release();
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  // PGlite behind its socket serves every connection from one session, where one connection's
  // prepared statement would collide with another's: names are used on real PostgreSQL only.
  const named = target === "postgres";
  const query = async <T>(sql: string, params: unknown[] = [], options?: QueryOptions) =>
    (await (named && options?.name ? pool.query({ name: options.name, text: sql, values: params }) : pool.query(sql, params))).rows as T[];
  let closed = false;
  const budgeted = new Map<number, Promise<Database>>();
  const db: Database = {
    prisma,
    target,
    location,
    query,
    statementTimeoutMs,
    withStatementTimeout(ms) {
      // PGlite behind its socket ignores statement_timeout: nothing to gain from more connections.
      if (closed) return Promise.reject(new Error("the database is closed"));
      if (target === "embedded-server" || (ms || null) === statementTimeoutMs) return Promise.resolve(db);
      let opening = budgeted.get(ms);
      if (!opening) {
        opening = openPostgres(url, target, location, maxConnections, { statementTimeoutMs: ms });
        budgeted.set(ms, opening);
      }
      return opening;
    },
    async executeSql(text, values) {
      return { rows: (await pool.query(text, values)).rows };
    },
    async execScript(sql) {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        await c.query(sql);
        await c.query("COMMIT");
      } catch (error) {
        await c.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        c.release();
      }
    },
    async transaction(work) {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        const query = async <T>(sql: string, params: unknown[] = []) => (await c.query(sql, params)).rows as T[];
        const copyRows: CopyRows =
          target === "embedded-server"
            ? insertingCopyRows(query)
            : async (table, columns, text) => {
                await pipeline(Readable.from([text]), c.query(copyFrom(`COPY ${table} (${columns.join(", ")}) FROM STDIN`)));
              };
        const result = await work(query, copyRows);
        await c.query("COMMIT");
        return result;
      } catch (error) {
        await c.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        c.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const opening of budgeted.values()) await (await opening.catch(() => null))?.close();
      await prisma.$disconnect();
      await pool.end();
    },
  };
  return db;
}
