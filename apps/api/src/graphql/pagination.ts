import { badInput } from "./errors.ts";

export const MAX_PAGE_SIZE = 100;

/** Cursors are opaque to clients; inside they are the last row's id. */
export function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined, field = "after"): number | null {
  if (!cursor) return null;
  const text = Buffer.from(cursor, "base64url").toString();
  const match = /^id:(\d+)$/.exec(text);
  if (!match) throw badInput(field, "is not a cursor returned by this API");
  return Number(match[1]);
}

export function pageSize(first: number | null | undefined, field = "first"): number {
  const n = first ?? 20;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw badInput(field, `must be 1..${MAX_PAGE_SIZE}, got ${n}`);
  return n;
}

/** A service's page as a connection, cursors made from each row's id. */
export function toConnection<T extends { id: number }>(page: { items: T[]; hasNextPage: boolean; totalCount: number }) {
  const last = page.items[page.items.length - 1];
  return {
    edges: page.items.map((node) => ({ cursor: encodeCursor(node.id), node })),
    pageInfo: { endCursor: last ? encodeCursor(last.id) : null, hasNextPage: page.hasNextPage },
    totalCount: page.totalCount,
  };
}

/** Checks an id argument: a positive 32-bit integer. */
export function positiveId(id: number, field: string): number {
  if (!Number.isInteger(id) || id < 1) throw badInput(field, `must be a positive id, got ${id}`);
  return id;
}
