import type { ApiRole } from "@deepcuts/db";

/**
 * The API's roles, all in this folder: what each role may do (here), the checks resolvers and
 * the HTTP routes call (checks.ts), and who is calling, from the request's key (viewer.ts).
 * Keys themselves (creation, hashing, revocation, the short-lived cache) are stored by
 * packages/engine/src/keys.ts; the roles are the database's ApiRole enum (prisma/schema.prisma).
 *
 * - LISTENER: its own listener only: reads its playlists and history, writes its events.
 * - CURATOR: reads everything (catalogue, listeners, models, jobs), edits and previews blends,
 *   runs experiments and downloads exports; does not write listeners' data.
 * - ADMIN: what a curator may, and training, weekly generation, keys, listeners' data.
 */
export type Role = ApiRole;

const RANK: Record<Role, number> = { LISTENER: 1, CURATOR: 2, ADMIN: 3 };

/** True when `role` is `needed` or above it: an admin may do what a curator may, a curator what a listener may. */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** Who is calling: null when no (valid) key was sent. */
export interface Viewer {
  keyId: number;
  role: Role;
  /** The listener a LISTENER key belongs to. */
  userId: number | null;
}
