import type { Database } from "@deepcuts/db";
import { listenerSimulator, type DemoWorld, type ListenerSimulator, type SimulatorOptions } from "@deepcuts/demo";
import { CancelledError } from "@deepcuts/models/core";
import { EVENT_KIND_WORDS } from "../events/kinds.ts";
import { MAX_EVENT_BATCH, recordEventBatch, type EventInput } from "../listener/events.ts";

export interface SimulateOptions {
  /** Only the playlists of these weeks (YYYY-MM-DD); default every week with playlists. */
  weeks?: string[];
  /** Events are dated in their playlist's week, never after this (default now). */
  now?: Date;
  simulator?: Partial<SimulatorOptions>;
  onProgress?: (message: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface SimulateReport {
  playlists: number;
  slots: number;
  /** Events the simulated listeners sent, and how many were new (a re-run sends the same ones). */
  sent: number;
  recorded: number;
  seconds: number;
}

/**
 * Lets the demo world's synthetic listeners answer the weekly playlists they were served: the
 * simulator draws streams, saves, adds, skips and "not for me" from each listener's true taste
 * (seeded), and they are recorded through `recordEventBatch`, the function behind the API's
 * `recordEvents`, with each event's playlist slot. Event ids are made from the slot, so running
 * it again records nothing new.
 */
export async function simulateDemoListeners(
  db: Database,
  world: DemoWorld,
  options: SimulateOptions = {},
): Promise<SimulateReport & { simulator: ListenerSimulator }> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const onProgress = options.onProgress ?? (() => {});
  const simulator = listenerSimulator(world, options.simulator);
  const slots = await db.query<{ playlist_id: number; position: number; user_id: number; user_key: string; track_id: number; track_key: string; week: string }>(
    `SELECT p.id AS playlist_id, i.position, p.user_id, u.external_key AS user_key, i.track_id, t.external_key AS track_key, to_char(p.week_start, 'YYYY-MM-DD') AS week
     FROM weekly_playlists p JOIN playlist_items i ON i.playlist_id = p.id JOIN users u ON u.id = p.user_id JOIN tracks t ON t.id = i.track_id
     WHERE ($1::date[] IS NULL OR p.week_start = ANY($1::date[]))
     ORDER BY p.week_start, p.user_id, i.position`,
    [options.weeks ?? null],
  );
  const known = new Set(world.users.map((u) => u.key));
  const served = slots.filter((s) => known.has(s.user_key));
  const slotOf = new Map(served.map((s) => [`${s.playlist_id}.${s.position}`, s]));
  const weeks = [...new Set(served.map((s) => s.week))];
  const report: SimulateReport = { playlists: new Set(served.map((s) => s.playlist_id)).size, slots: served.length, sent: 0, recorded: 0, seconds: 0 };
  let done = 0;
  for (const week of weeks) {
    const events = simulator.respond(
      served.filter((s) => s.week === week).map((s) => ({ userKey: s.user_key, trackKey: s.track_key, slotKey: `${s.playlist_id}.${s.position}` })),
      week,
    );
    const byUser = new Map<number, EventInput[]>();
    const weekStart = Date.parse(`${week}T00:00:00Z`);
    for (const e of events) {
      const slot = slotOf.get(e.slotKey)!;
      const occurredAt = new Date(Math.min(now.getTime(), weekStart + e.offsetMs));
      const input: EventInput = {
        eventId: e.eventId,
        kind: EVENT_KIND_WORDS[e.kind],
        trackId: slot.track_id,
        occurredAt,
        msPlayed: e.msPlayed ?? null,
        playlistId: slot.playlist_id,
        position: slot.position,
      };
      byUser.set(slot.user_id, [...(byUser.get(slot.user_id) ?? []), input]);
    }
    for (const [userId, list] of byUser) {
      if (options.signal?.aborted) throw new CancelledError("listener simulation");
      for (let i = 0; i < list.length; i += MAX_EVENT_BATCH) {
        const result = await recordEventBatch(db, userId, list.slice(i, i + MAX_EVENT_BATCH), now);
        report.sent += result.received;
        report.recorded += result.recorded;
      }
      onProgress(`week ${week}: listeners answering`, done + 1, report.playlists);
    }
    done += new Set(served.filter((s) => s.week === week).map((s) => s.playlist_id)).size;
    onProgress(`week ${week} answered`, done, report.playlists);
  }
  report.seconds = (Date.now() - started) / 1000;
  return { ...report, simulator };
}
