import type { Database } from "@deepcuts/db";

export interface Page<T> { items: T[]; hasNextPage: boolean; totalCount: number }

/** Tracks in id order after a cursor, optionally filtered by a title/artist search and artist. */
export async function listTracks(db: Database, input: { first: number; afterId: number | null; search?: string | null; artistId?: number | null }): Promise<Page<{
  id: number; externalKey: string; title: string; artistId: number; durationMs: number; releaseDate: string | null; genre: string | null;
}>> {
  const search = input.search?.trim();
  const where = {
    ...(input.artistId ? { artistId: input.artistId } : {}),
    ...(search ? { OR: [{ title: { contains: search, mode: "insensitive" as const } }, { artist: { name: { contains: search, mode: "insensitive" as const } } }] } : {}),
  };
  const [rows, totalCount] = await Promise.all([
    db.prisma.track.findMany({
      where: { ...where, ...(input.afterId ? { id: { gt: input.afterId } } : {}) },
      orderBy: { id: "asc" },
      take: input.first + 1,
      select: { id: true, externalKey: true, title: true, artistId: true, durationMs: true, releaseDate: true, genre: true },
    }),
    db.prisma.track.count({ where }),
  ]);
  return {
    items: rows.slice(0, input.first).map((r) => ({ ...r, releaseDate: r.releaseDate ? r.releaseDate.toISOString().slice(0, 10) : null })),
    hasNextPage: rows.length > input.first,
    totalCount,
  };
}

/** Listeners in id order after a cursor; `onlyId` (a listener key's own id) restricts every page. */
export async function listUsers(db: Database, input: { first: number; afterId: number | null; search?: string | null; onlyId?: number | null }) {
  const search = input.search?.trim();
  // Each condition is its own AND term: the cursor's id can never replace the listener scope.
  const where = {
    AND: [
      ...(input.onlyId !== null && input.onlyId !== undefined ? [{ id: input.onlyId }] : []),
      ...(search ? [{ OR: [{ name: { contains: search, mode: "insensitive" as const } }, { externalKey: { contains: search, mode: "insensitive" as const } }] }] : []),
    ],
  };
  const [rows, totalCount] = await Promise.all([
    db.prisma.user.findMany({
      where: { AND: [...where.AND, ...(input.afterId ? [{ id: { gt: input.afterId } }] : [])] },
      orderBy: { id: "asc" },
      take: input.first + 1,
      select: { id: true, externalKey: true, name: true, timeZone: true },
    }),
    db.prisma.user.count({ where }),
  ]);
  return { items: rows.slice(0, input.first), hasNextPage: rows.length > input.first, totalCount };
}
