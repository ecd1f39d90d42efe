import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * PGlite extensions every embedded open loads (in-process, the socket server, the shadow
 * database of db:diff), so migrations that create them apply and their indexes work wherever
 * the data directory is opened. pg_trgm serves substring search (trigram GIN indexes).
 */
export const pgliteExtensions = { pg_trgm };
