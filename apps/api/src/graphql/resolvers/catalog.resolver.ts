import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { listTracks, listUsers } from "../../services/catalog.ts";
import type { ApiContext } from "../context.ts";
import { decodeCursor, encodeCursor, pageSize } from "../pagination.ts";
import { Artist, Health, Track, TrackConnection, UserConnection } from "../types/catalog.type.ts";

@Resolver()
export class HealthResolver {
  @Query(() => Health, { description: "Open to everyone: is the API up?" })
  health(@Ctx() ctx: ApiContext): Health {
    return { ok: true, version: "0.1.0", database: ctx.db.target };
  }
}

@Resolver(() => Track)
export class TrackResolver {
  @Authorized("CURATOR")
  @Query(() => TrackConnection, { description: "Catalogue tracks, searchable by title or artist name." })
  async tracks(
    @Ctx() ctx: ApiContext,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("search", () => String, { nullable: true }) search: string | null,
    @Arg("artistId", () => Int, { nullable: true }) artistId: number | null,
  ): Promise<TrackConnection> {
    const page = await listTracks(ctx.db, { first: pageSize(first), afterId: decodeCursor(after), search, artistId });
    return {
      edges: page.items.map((t) => ({ cursor: encodeCursor(t.id), node: t })),
      pageInfo: { endCursor: page.items.length ? encodeCursor(page.items[page.items.length - 1].id) : null, hasNextPage: page.hasNextPage },
      totalCount: page.totalCount,
    };
  }

  @FieldResolver(() => Artist)
  async artist(@Root() track: Track, @Ctx() ctx: ApiContext): Promise<Artist> {
    return (await ctx.loaders.artist.load(track.artistId))!;
  }
}

@Resolver()
export class UserResolver {
  @Authorized("LISTENER")
  @Query(() => UserConnection, { description: "Listeners; a listener key sees only its own listener." })
  async users(
    @Ctx() ctx: ApiContext,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("search", () => String, { nullable: true }) search: string | null,
  ): Promise<UserConnection> {
    const onlyId = ctx.viewer?.role === "LISTENER" ? ctx.viewer.userId : null;
    const page = await listUsers(ctx.db, { first: pageSize(first), afterId: decodeCursor(after), search, onlyId });
    return {
      edges: page.items.map((u) => ({ cursor: encodeCursor(u.id), node: u })),
      pageInfo: { endCursor: page.items.length ? encodeCursor(page.items[page.items.length - 1].id) : null, hasNextPage: page.hasNextPage },
      totalCount: page.totalCount,
    };
  }
}
