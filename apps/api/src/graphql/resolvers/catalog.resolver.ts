import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { listTracks, listUsers } from "@deepcuts/engine/catalog.ts";
import { listArtists } from "@deepcuts/engine/catalog-details.ts";
import { assertOwnListener } from "../auth.ts";
import type { ApiContext } from "../context.ts";
import { badInput, notFound } from "../errors.ts";
import { openPage, positiveId } from "../pagination.ts";
import { Artist, AudioFeatures, Health, StoredVector, TopTerm, Track, User } from "../types/catalog.type.ts";
import { ArtistConnection, TrackConnection, UserConnection } from "../types/connections.type.ts";
import { Viewer } from "../types/listener.type.ts";
import type { ApiRole } from "../types/curation.type.ts";

const TERMS_MAX = 50;

@Resolver()
export class HealthResolver {
  @Query(() => Health, { description: "Open to everyone: is the API up?" })
  health(@Ctx() ctx: ApiContext): Health {
    return { ok: true, version: "0.1.0", database: ctx.db.target };
  }

  @Authorized("LISTENER")
  @Query(() => Viewer, { description: "The role (and listener) of the key in use." })
  me(@Ctx() ctx: ApiContext): Viewer {
    return { role: ctx.viewer!.role as ApiRole, userId: ctx.viewer!.userId };
  }
}

@Resolver(() => Track)
export class TrackResolver {
  @Authorized("CURATOR")
  @Query(() => TrackConnection, { description: "Catalogue tracks, searchable by title or artist name.", complexity: ({ args, childComplexity }) => 1 + (args.first ?? 20) * childComplexity })
  async tracks(
    @Ctx() ctx: ApiContext,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("search", () => String, { nullable: true, description: "Matches anywhere in the title or the artist's name, ignoring case (one or two characters: the start of a word)." }) search: string | null,
    @Arg("artistId", () => Int, { nullable: true }) artistId: number | null,
  ): Promise<TrackConnection> {
    const page = openPage(ctx, "tracks", { search, artistId }, first, after);
    return page.connect(await listTracks(ctx.db, { first: page.size, afterId: page.afterId, search, artistId }));
  }

  @Authorized("CURATOR")
  @Query(() => Track, { description: "One track; NOT_FOUND when it does not exist." })
  async track(@Ctx() ctx: ApiContext, @Arg("id", () => Int) id: number): Promise<Track> {
    const track = await ctx.loaders.track.load(positiveId(id, "id"));
    if (!track) throw notFound(`track ${id}`);
    return track;
  }

  @FieldResolver(() => Artist)
  async artist(@Root() track: Track, @Ctx() ctx: ApiContext): Promise<Artist> {
    return (await ctx.loaders.artist.load(track.artistId))!;
  }

  @FieldResolver(() => AudioFeatures, { nullable: true, description: "Null until the track's audio is analysed." })
  audioFeatures(@Root() track: Track, @Ctx() ctx: ApiContext) {
    return ctx.loaders.audioFeatures.load(track.id);
  }

  @FieldResolver(() => [TopTerm], { description: "Heaviest terms under the active TEXT model (empty before one is trained); a track without text shows its artist's, marked inherited." })
  async topTerms(@Root() track: Track, @Ctx() ctx: ApiContext, @Arg("first", () => Int, { defaultValue: 10 }) first: number): Promise<TopTerm[]> {
    if (!Number.isInteger(first) || first < 1 || first > TERMS_MAX) throw badInput("first", `must be 1..${TERMS_MAX}, got ${first}`);
    return (await ctx.loaders.trackTopTerms.load(track.id)).slice(0, first);
  }

  @FieldResolver(() => [StoredVector], { description: "The track's vector under each active model version.", complexity: 10 })
  async vectors(@Root() track: Track, @Ctx() ctx: ApiContext): Promise<StoredVector[]> {
    return (await ctx.loaders.trackVectors.load(track.id)).map((v) => ({ ...v, dim: v.values.length }));
  }
}

@Resolver(() => Artist)
export class ArtistResolver {
  @Authorized("CURATOR")
  @Query(() => ArtistConnection, { description: "Artists, searchable by name, filtered by genre.", complexity: ({ args, childComplexity }) => 1 + (args.first ?? 20) * childComplexity })
  async artists(
    @Ctx() ctx: ApiContext,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("search", () => String, { nullable: true, description: "Matches anywhere in the name, ignoring case (one or two characters: the start of a word)." }) search: string | null,
    @Arg("genre", () => String, { nullable: true, description: "Exact genre, e.g. techno." }) genre: string | null,
  ): Promise<ArtistConnection> {
    const page = openPage(ctx, "artists", { search, genre }, first, after);
    return page.connect(await listArtists(ctx.db, { first: page.size, afterId: page.afterId, search, genre }));
  }

  @Authorized("CURATOR")
  @Query(() => Artist)
  async artist(@Ctx() ctx: ApiContext, @Arg("id", () => Int) id: number): Promise<Artist> {
    const artist = await ctx.loaders.artist.load(positiveId(id, "id"));
    if (!artist) throw notFound(`artist ${id}`);
    return artist;
  }

  @FieldResolver(() => [TopTerm])
  async topTerms(@Root() artist: Artist, @Ctx() ctx: ApiContext, @Arg("first", () => Int, { defaultValue: 10 }) first: number): Promise<TopTerm[]> {
    if (!Number.isInteger(first) || first < 1 || first > TERMS_MAX) throw badInput("first", `must be 1..${TERMS_MAX}, got ${first}`);
    return (await ctx.loaders.artistTopTerms.load(artist.id)).slice(0, first);
  }

  @FieldResolver(() => [StoredVector], { complexity: 10 })
  async vectors(@Root() artist: Artist, @Ctx() ctx: ApiContext): Promise<StoredVector[]> {
    return (await ctx.loaders.artistVectors.load(artist.id)).map((v) => ({ ...v, dim: v.values.length }));
  }
}

@Resolver(() => User)
export class UserResolver {
  @Authorized("LISTENER")
  @Query(() => UserConnection, { description: "Listeners; a listener key sees only its own listener.", complexity: ({ args, childComplexity }) => 1 + (args.first ?? 20) * childComplexity })
  async users(
    @Ctx() ctx: ApiContext,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("search", () => String, { nullable: true, description: "Matches anywhere in the name or external key, ignoring case (one or two characters: the start of a word)." }) search: string | null,
  ): Promise<UserConnection> {
    // A listener key's scope is part of the query's condition, whatever the cursor says.
    const onlyId = ctx.viewer?.role === "LISTENER" ? ctx.viewer.userId ?? 0 : null;
    const page = openPage(ctx, "users", { search, onlyId }, first, after);
    return page.connect(await listUsers(ctx.db, { first: page.size, afterId: page.afterId, search, onlyId }));
  }

  @Authorized("LISTENER")
  @Query(() => User, { description: "One listener; a listener key may ask only for its own." })
  async user(@Ctx() ctx: ApiContext, @Arg("id", () => Int) id: number): Promise<User> {
    assertOwnListener(ctx, positiveId(id, "id"));
    const user = await ctx.loaders.user.load(id);
    if (!user) throw notFound(`listener ${id}`);
    return user;
  }

  @FieldResolver(() => [StoredVector], { complexity: 10 })
  async vectors(@Root() user: User, @Ctx() ctx: ApiContext): Promise<StoredVector[]> {
    return (await ctx.loaders.userVectors.load(user.id)).map((v) => ({ ...v, dim: v.values.length }));
  }
}
