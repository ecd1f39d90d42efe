/**
 * Simulated listeners: the demo world knows each synthetic listener's true taste, so it can
 * answer a served weekly playlist the way that listener would, with streams, saves, adds to
 * another playlist, skips and "not for me", drawn (seeded) from known probabilities. The
 * probabilities are exposed too: they are the ground truth the online metrics are checked against.
 */
import { streamRandom } from "../draw.ts";
import type { DemoWorld } from "../types.ts";

export type SimulatedKind = "stream" | "save" | "playlist_add" | "skip" | "not_for_me";

/** One served slot the simulator answers. */
export interface ServedSlot {
  userKey: string;
  trackKey: string;
  /** Stable id of the slot (playlist id and position): event ids are made from it. */
  slotKey: string;
}

/** One thing a simulated listener did with a slot. */
export interface SimulatedEvent {
  eventId: string;
  userKey: string;
  trackKey: string;
  slotKey: string;
  kind: SimulatedKind;
  /** For a stream: how long it played (a full play is the track's length); for a skip: 2..25 s. */
  msPlayed?: number;
  /** Milliseconds after the playlist came out. */
  offsetMs: number;
}

/** The knobs of the response model, with defaults that give Discover-Weekly-like rates. */
export interface SimulatorOptions {
  seed: number;
  /** Stream probability of a track off every taste genre (default 0.03). */
  baseStream: number;
  /** Added for a track of the listener's main genre (default 0.7), scaled by the genre's weight. */
  tasteStream: number;
  /** Share of taste a neighbour genre of a taste genre carries (default 0.3). */
  neighbourShare: number;
}

export const simulatorDefaults: Omit<SimulatorOptions, "seed"> = { baseStream: 0.03, tasteStream: 0.7, neighbourShare: 0.3 };

const DAY_MS = 86_400_000;

export interface ListenerSimulator {
  /** Probability that the listener opens their playlist in a given week (constant per listener). */
  openProbability(userKey: string): number;
  /** Probability that the listener streams the track when they see it (given they opened the playlist). */
  streamProbability(userKey: string, trackKey: string): number;
  /** Expected probability that a served slot is streamed: open x stream. */
  expectedStream(userKey: string, trackKey: string): number;
  /** The listener's true affinity to the track's genre, 0..1. */
  affinity(userKey: string, trackKey: string): number;
  /** Answers one week's served slots; `week` (YYYY-MM-DD) keeps weeks' draws apart. */
  respond(slots: ServedSlot[], week: string): SimulatedEvent[];
}

export function listenerSimulator(world: DemoWorld, options: Partial<SimulatorOptions> & { seed?: number } = {}): ListenerSimulator {
  const o: SimulatorOptions = { seed: options.seed ?? world.seed, ...simulatorDefaults, ...options };
  const users = new Map(world.users.map((u, i) => [u.key, { user: u, index: i }]));
  const tracks = new Map(world.tracks.map((t) => [t.key, t]));
  const neighbours = new Map(world.genres.map((g) => [g.key, g.neighbours]));
  const openOf = new Map<string, number>();
  const userOf = (key: string) => {
    const u = users.get(key);
    if (!u) throw new RangeError(`unknown listener '${key}' in the demo world`);
    return u;
  };
  const trackOf = (key: string) => {
    const t = tracks.get(key);
    if (!t) throw new RangeError(`unknown track '${key}' in the demo world`);
    return t;
  };

  function affinity(userKey: string, trackKey: string): number {
    const { user } = userOf(userKey);
    const track = trackOf(trackKey);
    const top = user.tasteGenres[0]?.weight ?? 1;
    let a = 0;
    for (const taste of user.tasteGenres) {
      if (taste.genre === track.genre) a += taste.weight;
      else if (neighbours.get(taste.genre)?.includes(track.genre)) a += o.neighbourShare * taste.weight;
    }
    return Math.min(1, a / top);
  }

  function openProbability(userKey: string): number {
    let p = openOf.get(userKey);
    if (p === undefined) {
      const { index } = userOf(userKey);
      // Listeners differ in how faithfully they open the playlist: 0.5..0.95.
      p = 0.5 + 0.45 * streamRandom(o.seed, "simulate-open", index)();
      openOf.set(userKey, p);
    }
    return p;
  }

  function streamProbability(userKey: string, trackKey: string): number {
    const track = trackOf(trackKey);
    // Popular tracks convert a little better at the same taste fit.
    return o.baseStream + o.tasteStream * affinity(userKey, trackKey) * (0.6 + 0.4 * Math.sqrt(track.popularity));
  }

  function respond(slots: ServedSlot[], week: string): SimulatedEvent[] {
    const out: SimulatedEvent[] = [];
    const byUser = new Map<string, ServedSlot[]>();
    for (const s of slots) byUser.set(s.userKey, [...(byUser.get(s.userKey) ?? []), s]);
    for (const [userKey, served] of byUser) {
      const { index } = userOf(userKey);
      const random = streamRandom(o.seed, `simulate:${week}`, index);
      if (random() >= openProbability(userKey)) continue;
      let offsetMs = Math.floor(random() * 5 * DAY_MS);
      for (const slot of served) {
        const track = trackOf(slot.trackKey);
        const a = affinity(userKey, slot.trackKey);
        const event = (kind: SimulatedKind, msPlayed?: number) => {
          out.push({ eventId: `sim.${slot.slotKey}.${kind}`, userKey, trackKey: slot.trackKey, slotKey: slot.slotKey, kind, msPlayed, offsetMs });
          offsetMs += 1000 + (msPlayed ?? 0);
        };
        if (random() < streamProbability(userKey, slot.trackKey)) {
          const full = random() < 0.6;
          event("stream", full ? track.durationMs : Math.min(track.durationMs, 30_000 + Math.floor(random() * Math.max(1, track.durationMs - 30_000))));
          if (random() < 0.3 * a) event("save");
          if (random() < 0.08 * a) event("playlist_add");
        } else if (random() < 0.8) {
          event("skip", 2000 + Math.floor(random() * 23_000));
          if (random() < 0.25 * (1 - a)) event("not_for_me");
        }
      }
    }
    return out;
  }

  return { openProbability, streamProbability, expectedStream: (u, t) => openProbability(u) * streamProbability(u, t), affinity, respond };
}
