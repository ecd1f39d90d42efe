import DataLoader from "dataloader";
import type { Database } from "@deepcuts/db";

export interface ArtistRecord { id: number; externalKey: string; name: string; genre: string | null }

/** Batches relation lookups per request: a page of N items costs one query per relation. */
export function createLoaders(db: Database) {
  return {
    artist: new DataLoader<number, ArtistRecord | null>(async (ids) => {
      const rows = await db.prisma.artist.findMany({ where: { id: { in: [...ids] } }, select: { id: true, externalKey: true, name: true, genre: true } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
