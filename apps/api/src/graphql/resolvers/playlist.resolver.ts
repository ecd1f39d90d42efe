import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { listPlaylists } from "@deepcuts/engine/listener/playlists.ts";
import { checkBlend } from "@deepcuts/engine/curation/blends.ts";
import { BLEND_SOURCES, type BlendSource } from "@deepcuts/models/blend/weights";
import { previewPlaylist } from "@deepcuts/engine/weekly/preview.ts";
import { assertOwnListener } from "../../roles/checks.ts";
import type { ApiContext } from "../context.ts";
import { primePlaylistItems } from "../loaders.ts";
import { notFound } from "../errors.ts";
import { openPage, pageComplexity, PageArgs, positiveId } from "../pagination.ts";
import { Track, User } from "../types/catalogue.type.ts";
import { WeeklyPlaylistConnection } from "../types/connections.type.ts";
import { BlendConstraintsInput, BlendWeightsInput } from "../types/curation.type.ts";
import { PlaylistItem, PlaylistPreview, PreviewItem, WeeklyPlaylist } from "../types/playlist.type.ts";

/** Every source's score, null for a source the stored item does not name. */
const scoresOf = (s: Record<string, number>) => Object.fromEntries(BLEND_SOURCES.map((name) => [name, s[name] ?? null])) as Record<BlendSource, number | null>;

@Resolver(() => WeeklyPlaylist)
export class PlaylistResolver {
  @Authorized("LISTENER")
  @Query(() => WeeklyPlaylist, {
    nullable: true,
    description: "A listener's playlist for one week (default: this week in their time zone); null when not made yet.",
  })
  async weeklyPlaylist(
    @Ctx() ctx: ApiContext,
    @Arg("userId", () => Int) userId: number,
    @Arg("weekStart", () => String, { nullable: true, description: "A Monday, YYYY-MM-DD." }) weekStart: string | null,
  ) {
    assertOwnListener(ctx, positiveId(userId, "userId"));
    // One query, shared with concurrent requests, reads the playlist with its items, tracks and
    // artists; the field resolvers below find them primed.
    const playlist = await ctx.shared.weeklyPlaylist.load({ userId, weekStart: weekStart ?? null });
    if (playlist) primePlaylistItems(ctx.loaders, playlist.id, playlist.items);
    return playlist;
  }

  @Authorized("LISTENER")
  @Query(() => WeeklyPlaylistConnection, { description: "A listener's playlists, newest week first.", complexity: pageComplexity })
  async weeklyPlaylists(@Ctx() ctx: ApiContext, @Arg("userId", () => Int) userId: number, @Args(() => PageArgs) paging: PageArgs) {
    assertOwnListener(ctx, positiveId(userId, "userId"));
    const page = openPage(ctx, "weeklyPlaylists", { userId }, paging);
    return page.connect(await listPlaylists(ctx.db, { userId, ...page.keyset }));
  }

  @FieldResolver(() => [PlaylistItem], { description: "In playlist order (at most 100).", complexity: ({ childComplexity }) => 1 + 100 * childComplexity })
  async items(@Root() playlist: WeeklyPlaylist, @Ctx() ctx: ApiContext): Promise<PlaylistItem[]> {
    // `scores` is worked out only when asked for (a getter): most reads of a playlist do not ask.
    return (await ctx.loaders.playlistItems.load(playlist.id)).map((i) => ({
      ...i,
      get scores() {
        return scoresOf(i.scores);
      },
    }));
  }

  @FieldResolver(() => Int, { description: "Sum of the items' durations." })
  async totalDurationMs(@Root() playlist: WeeklyPlaylist, @Ctx() ctx: ApiContext): Promise<number> {
    return (await ctx.loaders.playlistItems.load(playlist.id)).reduce((sum, i) => sum + i.durationMs, 0);
  }

  @FieldResolver(() => User)
  async user(@Root() playlist: WeeklyPlaylist, @Ctx() ctx: ApiContext) {
    return ctx.loaders.user.load(playlist.userId);
  }

  @Authorized("CURATOR")
  @Query(() => PlaylistPreview, { description: "What a listener would get under unsaved weights and constraints; nothing is stored.", complexity: 200 })
  async previewPlaylist(
    @Ctx() ctx: ApiContext,
    @Arg("userId", () => Int) userId: number,
    @Arg("weights", () => BlendWeightsInput) weights: BlendWeightsInput,
    @Arg("constraints", () => BlendConstraintsInput) constraints: BlendConstraintsInput,
  ): Promise<PlaylistPreview> {
    positiveId(userId, "userId");
    checkBlend({ ...weights }, { ...constraints });
    if (!(await ctx.loaders.user.load(userId))) throw notFound(`listener ${userId}`);
    const preview = await previewPlaylist(ctx.db, { userId, weights: { ...weights }, constraints: { ...constraints } });
    return {
      userId,
      status: preview.status,
      items: preview.items.map((item, position) => ({
        position,
        trackId: item.trackId,
        score: item.score,
        reason: item.reason,
        scores: scoresOf(item.scores),
      })),
      effectiveWeights: preview.effectiveWeights,
    };
  }
}

@Resolver(() => PreviewItem)
export class PreviewItemResolver {
  @FieldResolver(() => Track)
  async track(@Root() item: PreviewItem, @Ctx() ctx: ApiContext) {
    return ctx.loaders.track.load(item.trackId);
  }
}
