import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { listTracks, listUsers } from "@deepcuts/engine/catalogue.ts";
import { listArtists } from "@deepcuts/engine/catalogue-details.ts";
import { assertOwnListener } from "../../roles/checks.ts";
import type { ApiContext } from "../context.ts";
import { badInput, notFound } from "../errors.ts";
import { openPage, pageComplexity, PageArgs, positiveId } from "../pagination.ts";
import { Artist, AudioFeatures, Health, StoredVector, TopTerm, Track, User } from "../types/catalogue.type.ts";
import { ArtistConnection, TrackConnection, UserConnection } from "../types/connections.type.ts";
import { Viewer } from "../types/listener.type.ts";

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
    return { role: ctx.viewer!.role, userId: ctx.viewer!.userId };
  }
}

@Resolver(() => Track)
export class TrackResolver {
  @Authorized("CURATOR")
  @Query(() => TrackConnection, { description: "Catalogue tracks, searchable by title or artist name.", complexity: pageComplexity })
  async tracks(
    @Ctx() ctx: ApiContext,
    @Args(() => PageArgs) paging: PageArgs,
    @Arg("search", () => String, {
      nullable: true,
      description: "Matches anywhere in the title or the artist's name, ignoring case (one or two characters: the start of a word).",
    })
    search: string | null,
    @Arg("artistId", () => Int, { nullable: true }) artistId: number | null,
  ): Promise<TrackConnection> {
    const page = openPage(ctx, "tracks", { search, artistId }, paging);
    return page.connect(await listTracks(ctx.db, { ...page.keyset, search, artistId }));
  }

  @Authorized("CURATOR")
  @Query(() => Track, {
    nullable: true,
    description: "One track by database id; null, with NOT_FOUND in `errors`, when it does not exist (the rest of the response is unaffected).",
  })
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

  @FieldResolver(() => [TopTerm], {
    description: "Heaviest terms under the active TEXT model (empty before one is trained); a track without text shows its artist's, marked inherited.",
  })
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
  @Query(() => ArtistConnection, { description: "Artists, searchable by name, filtered by genre.", complexity: pageComplexity })
  async artists(
    @Ctx() ctx: ApiContext,
    @Args(() => PageArgs) paging: PageArgs,
    @Arg("search", () => String, { nullable: true, description: "Matches anywhere in the name, ignoring case (one or two characters: the start of a word)." })
    search: string | null,
    @Arg("genre", () => String, { nullable: true, description: "Exact genre, e.g. techno." }) genre: string | null,
  ): Promise<ArtistConnection> {
    const page = openPage(ctx, "artists", { search, genre }, paging);
    return page.connect(await listArtists(ctx.db, { ...page.keyset, search, genre }));
  }

  @Authorized("CURATOR")
  @Query(() => Artist, {
    nullable: true,
    description: "One artist by database id; null, with NOT_FOUND in `errors`, when it does not exist (the rest of the response is unaffected).",
  })
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
  @Query(() => UserConnection, { description: "Listeners; a listener key sees only its own listener.", complexity: pageComplexity })
  async users(
    @Ctx() ctx: ApiContext,
    @Args(() => PageArgs) paging: PageArgs,
    @Arg("search", () => String, {
      nullable: true,
      description: "Matches anywhere in the name or external key, ignoring case (one or two characters: the start of a word).",
    })
    search: string | null,
  ): Promise<UserConnection> {
    // A listener key's scope is part of the query's condition, whatever the cursor says.
    const onlyId = ctx.viewer?.role === "LISTENER" ? (ctx.viewer.userId ?? 0) : null;
    const page = openPage(ctx, "users", { search, onlyId }, paging);
    return page.connect(await listUsers(ctx.db, { ...page.keyset, search, onlyId }));
  }

  @Authorized("LISTENER")
  @Query(() => User, {
    nullable: true,
    description:
      "One listener by database id; a listener key may ask only for its own. Null, with NOT_FOUND or FORBIDDEN in `errors`, when it cannot be shown (the rest of the response is unaffected).",
  })
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
