import { Arg, Authorized, Ctx, Int, Mutation, Resolver } from "type-graphql";
import { markNotForMe, recordEventBatch, saveTrack } from "../../services/listener/events.ts";
import { assertWritesListener } from "../auth.ts";
import type { ApiContext } from "../context.ts";
import { positiveId } from "../pagination.ts";
import { EventBatchResult, EventInput } from "../types/listener.type.ts";

@Resolver()
export class ListenerResolver {
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
  ): Promise<EventBatchResult> {
    assertWritesListener(ctx, positiveId(userId, "userId"));
    return saveTrack(ctx.db, userId, positiveId(trackId, "trackId"), eventId);
  }

  @Authorized("LISTENER")
  @Mutation(() => EventBatchResult, { description: "Marks a track or an artist (exactly one) as not for me: left out of future playlists." })
  markNotForMe(
    @Ctx() ctx: ApiContext,
    @Arg("userId", () => Int) userId: number,
    @Arg("trackId", () => Int, { nullable: true }) trackId: number | null,
    @Arg("artistId", () => Int, { nullable: true }) artistId: number | null,
    @Arg("eventId", () => String, { nullable: true }) eventId: string | null,
  ): Promise<EventBatchResult> {
    assertWritesListener(ctx, positiveId(userId, "userId"));
    return markNotForMe(ctx.db, userId, { trackId, artistId }, eventId);
  }
}
