import type { Database } from "@deepcuts/db";
import { createLoaders, type Loaders, type SharedLoaders } from "./loaders.ts";
import type { CursorCodec } from "./pagination.ts";
import type { Viewer } from "../roles/roles.ts";

/** Per-request context: the database, the caller, and request-scoped DataLoaders. */
export interface ApiContext {
  db: Database;
  viewer: Viewer | null;
  loaders: Loaders;
  /** The server's loaders that batch concurrent requests' reads (loaders.ts). */
  shared: SharedLoaders;
  /** Signs and checks the connections' cursors (one codec per server: its secret is shared by replicas). */
  cursors: CursorCodec;
  /** Worker threads that jobs started from this API may use (the app's configuration). */
  threads: number;
}

export function createContext(db: Database, viewer: Viewer | null, settings: { cursors: CursorCodec; threads: number; shared: SharedLoaders }): ApiContext {
  return { db, viewer, loaders: createLoaders(db), ...settings };
}
