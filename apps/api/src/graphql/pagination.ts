// The API server loads this module (for CursorCodec) before the schema: decorators need the polyfill first.
import "reflect-metadata";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { ArgsType, Field, Int } from "type-graphql";
import type { PageRequest } from "@deepcuts/engine/paging.ts";
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

/**
 * A service's page as a connection, each row's cursor bound to the query that read it. The page
 * was read after `keyset.afterId` (or, backward, before it): the service knows whether more lie
 * beyond it in that direction; on the side of the cursor there is at least the cursor's row.
 */
export function toConnection<T extends { id: number }>(
  page: { items: T[]; hasNextPage: boolean; totalCount: number },
  cursors: CursorCodec,
  binding: CursorBinding,
  keyset: PageRequest = { first: page.items.length, afterId: null },
) {
  const edges = page.items.map((node) => ({ cursor: cursors.encode(node.id, binding), node }));
  const fromCursor = keyset.afterId !== null;
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
      hasNextPage: keyset.backward ? fromCursor : page.hasNextPage,
      hasPreviousPage: keyset.backward ? page.hasNextPage : fromCursor,
    },
    totalCount: page.totalCount,
  };
}

/** The paging arguments of every connection (Relay's cursor connections, both ways). */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Forward paging: this many items from the start, or after \`after\`; 1..${MAX_PAGE_SIZE}. Without \`first\` or \`last\`: the first 20.`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Forward paging: continue after this cursor (an edge's cursor or pageInfo.endCursor this query returned, for the same filters and key).",
  })
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `Backward paging: this many items from the end, or before \`before\`; 1..${MAX_PAGE_SIZE}. Not with \`first\`.`,
  })
  last?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Backward paging: continue before this cursor (an edge's cursor or pageInfo.startCursor this query returned, for the same filters and key).",
  })
  before?: string | null;
}

/** A connection field's complexity: its page size times the cost of one item. */
export const pageComplexity = ({ args, childComplexity }: { args: PageArgs; childComplexity: number }) => 1 + (args.first ?? args.last ?? 20) * childComplexity;

/** Checks an id argument: a positive 32-bit integer. */
export function positiveId(id: number, field: string): number {
  if (!Number.isInteger(id) || id < 1 || id > 2147483647) throw badInput(field, `must be a positive id, got ${id}`);
  return id;
}

/**
 * Reads a connection's paging arguments for `query` with `filters`: `keyset`, the service's page
 * request (forward from `after`, or backward from `before`), and `connect` to turn the service's
 * page into the connection. Cursors are bound to the query, its filters and the calling key.
 */
export function openPage(ctx: ApiContext, query: string, filters: Record<string, unknown>, args: PageArgs) {
  const binding = cursorBinding(query, filters, ctx.viewer ? `key:${ctx.viewer.keyId}` : "anonymous");
  const backward = args.last !== null && args.last !== undefined;
  if (backward && args.first !== null && args.first !== undefined)
    throw badInput("last", "cannot be combined with first: page forward with first/after or backward with last/before");
  if (backward && args.after) throw badInput("after", "cannot be combined with last: page backward with last/before");
  if (!backward && args.before) throw badInput("before", "needs last: page backward with last/before");
  const keyset: PageRequest = backward
    ? { first: pageSize(args.last, "last"), afterId: ctx.cursors.decode(args.before, binding, "before"), backward: true }
    : { first: pageSize(args.first), afterId: ctx.cursors.decode(args.after, binding) };
  return {
    keyset,
    connect: <T extends { id: number }>(page: { items: T[]; hasNextPage: boolean; totalCount: number }) => toConnection(page, ctx.cursors, binding, keyset),
  };
}
