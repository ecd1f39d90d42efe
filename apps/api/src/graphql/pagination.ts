import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { badInput } from "./errors.ts";
import type { ApiContext } from "./context.ts";

export const MAX_PAGE_SIZE = 100;

/**
 * What a cursor is bound to: the connection, its filter arguments and the caller's scope. A
 * cursor issued for one binding is refused for any other, so a cursor cannot carry a listener
 * into another listener's rows, nor from one query into another.
 */
export type CursorBinding = string;

/**
 * Opaque cursors: the last row's id followed by an HMAC of (binding, id). The id alone is not
 * trusted: the scope of every query is in its own WHERE clause, and the MAC makes a cursor
 * useless outside the query and caller that received it.
 */
export class CursorCodec {
  private readonly key: Buffer;

  /** `secret`: shared by every API replica that must accept each other's cursors. */
  constructor(secret: string | Buffer | null = null) {
    this.key = secret === null ? randomBytes(32) : Buffer.from(secret);
    if (this.key.length < 16) throw new RangeError(`the cursor secret must be at least 16 bytes, got ${this.key.length}`);
  }

  encode(id: number, binding: CursorBinding): string {
    const body = Buffer.from(String(id)).toString("base64url");
    return `${body}.${this.mac(body, binding)}`;
  }

  /** The id inside `cursor`, or BAD_USER_INPUT naming `field` when it was not issued for `binding`. */
  decode(cursor: string | null | undefined, binding: CursorBinding, field = "after"): number | null {
    if (cursor === null || cursor === undefined || cursor === "") return null;
    const refuse = () => badInput(field, "is not a cursor this API issued for this query and key; start again without it");
    if (cursor.length > 200) throw refuse();
    const dot = cursor.indexOf(".");
    if (dot < 1) throw refuse();
    const body = cursor.slice(0, dot);
    const given = Buffer.from(cursor.slice(dot + 1), "base64url");
    const expected = Buffer.from(this.mac(body, binding), "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse();
    const id = Number(Buffer.from(body, "base64url").toString());
    if (!Number.isSafeInteger(id) || id < 1) throw refuse();
    return id;
  }

  private mac(body: string, binding: CursorBinding): string {
    return createHmac("sha256", this.key).update(binding).update("\0").update(body).digest().subarray(0, 18).toString("base64url");
  }
}

/** The binding of a connection query: its name, its filters and the caller's scope. */
export function cursorBinding(query: string, filters: Record<string, unknown>, scope: string): CursorBinding {
  return JSON.stringify([query, scope, Object.entries(filters).sort(([a], [b]) => a.localeCompare(b))]);
}

export function pageSize(first: number | null | undefined, field = "first"): number {
  const n = first ?? 20;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) throw badInput(field, `must be 1..${MAX_PAGE_SIZE}, got ${n}`);
  return n;
}

/** A service's page as a connection, each row's cursor bound to the query that read it. */
export function toConnection<T extends { id: number }>(
  page: { items: T[]; hasNextPage: boolean; totalCount: number },
  cursors: CursorCodec,
  binding: CursorBinding,
) {
  const last = page.items[page.items.length - 1];
  return {
    edges: page.items.map((node) => ({ cursor: cursors.encode(node.id, binding), node })),
    pageInfo: { endCursor: last ? cursors.encode(last.id, binding) : null, hasNextPage: page.hasNextPage },
    totalCount: page.totalCount,
  };
}

/** Checks an id argument: a positive 32-bit integer. */
export function positiveId(id: number, field: string): number {
  if (!Number.isInteger(id) || id < 1 || id > 2147483647) throw badInput(field, `must be a positive id, got ${id}`);
  return id;
}

/**
 * Reads a connection's `first`/`after` for `query` with `filters`: the page size, the row id
 * after which to continue, and `connect` to turn the service's page into the connection. The
 * cursor is bound to the query, its filters and the calling key.
 */
export function openPage(ctx: ApiContext, query: string, filters: Record<string, unknown>, first: number | null | undefined, after: string | null | undefined) {
  const binding = cursorBinding(query, filters, ctx.viewer ? `key:${ctx.viewer.keyId}` : "anonymous");
  const size = pageSize(first);
  const afterId = ctx.cursors.decode(after, binding);
  return {
    size,
    afterId,
    connect: <T extends { id: number }>(page: { items: T[]; hasNextPage: boolean; totalCount: number }) => toConnection(page, ctx.cursors, binding),
  };
}
