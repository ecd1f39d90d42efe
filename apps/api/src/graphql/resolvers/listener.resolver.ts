import { Arg, Args, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { markNotForMe, recordEventBatch, saveTrack } from "@deepcuts/engine/listener/events.ts";
import { listeningHistory, topArtists } from "@deepcuts/engine/listener/history.ts";
import { assertOwnListener, assertWritesListener } from "../../roles/checks.ts";
import type { ApiContext } from "../context.ts";
import { badInput, notFound } from "../errors.ts";
import { openPage, pageComplexity, PageArgs, positiveId } from "../pagination.ts";
import { ListeningEventConnection } from "../types/connections.type.ts";
import { EventBatchResult, EventInput, TopArtists } from "../types/listener.type.ts";

const TOP_ARTISTS_MAX = 100;

/** The optional playlist slot of saveTrack and markNotForMe: both arguments or neither. */
function slotArgs(playlistId: number | null, position: number | null): { playlistId: number; position: number } | null {
  if ((playlistId == null) !== (position == null))
    throw badInput(
      playlistId == null ? "playlistId" : "position",
      `is required with ${playlistId == null ? "position" : "playlistId"} (a playlist slot names both)`,
    );
  return playlistId == null ? null : { playlistId, position: position! };
}

/** An unknown listener is NOT_FOUND (the user loader shares its query with `user(id)` in the same request). */
async function assertListenerExists(ctx: ApiContext, userId: number): Promise<void> {
  if (!(await ctx.loaders.user.load(userId))) throw notFound(`listener ${userId}`);
}

@Resolver()
export class ListenerResolver {
  @Authorized("LISTENER")
  @Query(() => ListeningEventConnection, {
    description: "A listener's events (streams, saves, skips, visits, dislikes), newest first; a listener key sees only its own.",
    complexity: pageComplexity,
  })
  async listeningHistory(@Ctx() ctx: ApiContext, @Arg("userId", () => Int) userId: number, @Args(() => PageArgs) paging: PageArgs) {
    assertOwnListener(ctx, positiveId(userId, "userId"));
    const opened = openPage(ctx, "listeningHistory", { userId }, paging);
    await assertListenerExists(ctx, userId);
    const page = await listeningHistory(ctx.db, { userId, ...opened.keyset });
    // The events arrive with their tracks and artists: nested fields load nothing more.
    for (const e of page.items) {
      if (e.track) ctx.loaders.track.prime(e.track.id, e.track);
      if (e.artist) ctx.loaders.artist.prime(e.artist.id, e.artist);
    }
    return opened.connect(page);
  }

  @Authorized("LISTENER")
  @Query(() => TopArtists, {
    description: "A listener's most played artists with their share of all plays; a listener key sees only its own.",
    complexity: ({ args, childComplexity }) => 1 + (args.first ?? 10) * childComplexity,
  })
  async topArtists(
    @Ctx() ctx: ApiContext,
    @Arg("userId", () => Int) userId: number,
    @Arg("first", () => Int, { nullable: true, defaultValue: 10, description: `1..${TOP_ARTISTS_MAX}` }) first: number,
  ): Promise<TopArtists> {
    assertOwnListener(ctx, positiveId(userId, "userId"));
    const n = first ?? 10;
    if (!Number.isInteger(n) || n < 1 || n > TOP_ARTISTS_MAX) throw badInput("first", `must be 1..${TOP_ARTISTS_MAX}, got ${n}`);
    await assertListenerExists(ctx, userId);
    const top = await topArtists(ctx.db, userId, n);
    for (const a of top.artists) ctx.loaders.artist.prime(a.artist.id, a.artist);
    return top;
  }

  @Authorized("LISTENER")
  @Mutation(() => EventBatchResult, { description: "Records up to 500 events. Idempotent by eventId: resend a batch after a timeout safely." })
  recordEvents(
    @Ctx() ctx: ApiContext,
    @Arg("userId", () => Int) userId: number,
    @Arg("events", () => [EventInput]) events: EventInput[],
  ): Promise<EventBatchResult> {
    assertWritesListener(ctx, positiveId(userId, "userId"));
    return recordEventBatch(ctx.db, userId, events);
  }

  @Authorized("LISTENER")
  @Mutation(() => EventBatchResult, { description: "Saves a track to the listener's library (saving again changes nothing)." })
  saveTrack(
    @Ctx() ctx: ApiContext,
    @Arg("userId", () => Int) userId: number,
    @Arg("trackId", () => Int) trackId: number,
    @Arg("eventId", () => String, { nullable: true }) eventId: string | null,
    @Arg("playlistId", () => Int, { nullable: true, description: "Saved from this weekly playlist (with position): the slot's outcome." })
    playlistId: number | null,
    @Arg("position", () => Int, { nullable: true, description: "0-based position in playlistId." }) position: number | null,
  ): Promise<EventBatchResult> {
    assertWritesListener(ctx, positiveId(userId, "userId"));
    return saveTrack(ctx.db, userId, positiveId(trackId, "trackId"), eventId, slotArgs(playlistId, position));
  }

  @Authorized("LISTENER")
  @Mutation(() => EventBatchResult, { description: "Marks a track or an artist (exactly one) as not for me: left out of future playlists." })
  markNotForMe(
    @Ctx() ctx: ApiContext,
    @Arg("userId", () => Int) userId: number,
    @Arg("trackId", () => Int, { nullable: true }) trackId: number | null,
    @Arg("artistId", () => Int, { nullable: true }) artistId: number | null,
    @Arg("eventId", () => String, { nullable: true }) eventId: string | null,
    @Arg("playlistId", () => Int, { nullable: true, description: "Marked from this weekly playlist (with position): the slot's outcome." })
    playlistId: number | null,
    @Arg("position", () => Int, { nullable: true, description: "0-based position in playlistId." }) position: number | null,
  ): Promise<EventBatchResult> {
    assertWritesListener(ctx, positiveId(userId, "userId"));
    return markNotForMe(ctx.db, userId, { trackId, artistId }, eventId, slotArgs(playlistId, position));
  }
}
