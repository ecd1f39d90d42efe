import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import { deleteListener } from "@deepcuts/engine/privacy/delete-listener.ts";
import { listenerArchiveText } from "@deepcuts/engine/privacy/export-listener.ts";
import { assertWritesListener } from "../../roles/checks.ts";
import type { ApiContext } from "../context.ts";
import { positiveId } from "../pagination.ts";
import { DeletedListener, ListenerExport } from "../types/privacy.type.ts";

/** Events an API answer carries; a longer history streams from `deepcuts export listener`. */
export const EXPORT_MAX_EVENTS = 100_000;

/** A listener's control of their data: an admin key, or the listener's own key (never a curator's). */
@Resolver()
export class PrivacyResolver {
  @Authorized("LISTENER")
  @Mutation(() => DeletedListener, {
    description:
      "Deletes a listener and everything stored about them (events, aggregates, playlists, vectors, keys, any row that refers to them) in one transaction; neighbour indexes drop them. Admin, or the listener's own key.",
  })
  deleteListener(@Ctx() ctx: ApiContext, @Arg("userId", () => Int) userId: number): Promise<DeletedListener> {
    assertWritesListener(ctx, positiveId(userId, "userId"));
    return deleteListener(ctx.db, userId);
  }

  @Authorized("LISTENER")
  @Query(() => ListenerExport, {
    description: `Everything stored about a listener as a JSON archive (up to ${EXPORT_MAX_EVENTS} events; 'deepcuts export listener' streams any size). Admin, or the listener's own key.`,
    complexity: 100,
  })
  async exportListener(@Ctx() ctx: ApiContext, @Arg("userId", () => Int) userId: number): Promise<ListenerExport> {
    assertWritesListener(ctx, positiveId(userId, "userId"));
    const archive = JSON.parse(await listenerArchiveText(ctx.db, userId, EXPORT_MAX_EVENTS)) as { events: unknown[] };
    return { archive, events: archive.events.length };
  }
}
