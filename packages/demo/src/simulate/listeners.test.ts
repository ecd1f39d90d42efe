import { describe, expect, it } from "vitest";
import { generateWorld } from "../world.ts";
import { listenerSimulator } from "./listeners.ts";

const world = generateWorld({ seed: 5, listeners: 200, artists: 30, tracks: 300, events: 5_000, now: new Date("2026-11-16T00:00:00Z") });

describe("simulated listeners", () => {
  it("stream what fits their true taste far more, at the rates the ground truth states", () => {
    const sim = listenerSimulator(world);
    const served = world.users.flatMap((u, i) =>
      world.tracks.slice((i * 7) % 270, ((i * 7) % 270) + 30).map((t, p) => ({ userKey: u.key, trackKey: t.key, slotKey: `${i}.${p}` })),
    );
    const events = sim.respond(served, "2026-11-16");
    expect(sim.respond(served, "2026-11-16")).toEqual(events); // seeded
    expect(sim.respond(served, "2026-11-23")).not.toEqual(events);
    const streamed = new Set(events.filter((e) => e.kind === "stream").map((e) => e.slotKey));
    // Expected streams (open x stream probability) against the drawn ones: within 4 standard deviations.
    const expected = served.reduce((a, s) => a + sim.expectedStream(s.userKey, s.trackKey), 0);
    expect(Math.abs(streamed.size - expected)).toBeLessThan(4 * Math.sqrt(expected) + 0.1 * expected);
    const on = served.filter((s) => sim.affinity(s.userKey, s.trackKey) >= 0.5),
      off = served.filter((s) => sim.affinity(s.userKey, s.trackKey) === 0);
    const rate = (list: typeof served) => list.filter((s) => streamed.has(s.slotKey)).length / list.length;
    expect(rate(on)).toBeGreaterThan(5 * rate(off));
    // Saves, adds, skips and "not for me" all occur; a save always follows a stream of the same slot.
    for (const kind of ["save", "playlist_add", "skip", "not_for_me"]) expect(events.some((e) => e.kind === kind)).toBe(true);
    for (const e of events) if (e.kind === "save") expect(streamed.has(e.slotKey)).toBe(true);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(() => sim.streamProbability("nobody", world.tracks[0].key)).toThrow("unknown listener 'nobody' in the demo world");
  });
});
