import { describe, expect, it } from "vitest";
import { generateWorld } from "../world.ts";
import { events } from "./events.ts";
import { TIME_ZONES } from "../catalogue/names.ts";
import type { DemoEvent } from "../types.ts";
import { TEST_NOW } from "../test-support/fixture.ts";

const world = generateWorld({ now: TEST_NOW });
const all: DemoEvent[] = [...events(world)];
const trackByKey = new Map(world.tracks.map((t) => [t.key, t]));
const userByKey = new Map(world.users.map((u) => [u.key, u]));

function take(iterable: Iterable<DemoEvent>, n: number): DemoEvent[] {
  const out: DemoEvent[] = [];
  for (const e of iterable) {
    if (out.length >= n) break;
    out.push(e);
  }
  return out;
}

describe("events", () => {
  it("is deterministic: same seed, same sequence; another seed, another one", () => {
    const again = generateWorld({ now: TEST_NOW });
    expect(take(events(again), 5000)).toEqual(all.slice(0, 5000));
    const other = generateWorld({ seed: 7, now: TEST_NOW });
    const first = take(events(other), 100);
    expect(first.map((e) => [e.trackKey, e.at.getTime()])).not.toEqual(all.slice(0, 100).map((e) => [e.trackKey, e.at.getTime()]));
  });

  it("yields exactly each user's eventCount, under unique ids, and shards concatenate to the whole", () => {
    expect(all.length).toBe(world.eventCount);
    expect(new Set(all.map((e) => e.eventId)).size).toBe(all.length);
    const perUser = new Map<string, number>();
    for (const e of all) perUser.set(e.userKey, (perUser.get(e.userKey) ?? 0) + 1);
    expect(world.users.filter((u) => (perUser.get(u.key) ?? 0) !== u.eventCount)).toEqual([]);
    const middle = 777;
    const shards = [...events(world, { toUser: middle }), ...events(world, { fromUser: middle })];
    expect(shards.length).toBe(all.length);
    const firstDifference = shards.findIndex(
      (e, i) =>
        e.eventId !== all[i].eventId ||
        e.at.getTime() !== all[i].at.getTime() ||
        e.trackKey !== all[i].trackKey ||
        e.kind !== all[i].kind ||
        e.msPlayed !== all[i].msPlayed,
    );
    expect(firstDifference).toBe(-1);
    expect(() => events(world, { fromUser: 5, toUser: 2 })).toThrow("user range must satisfy 0 <= fromUser <= toUser <= 2000, got 5..2");
  });

  it("stays within the year, in time order per user, never before release, never on cold-start tracks", () => {
    const start = world.yearStart.getTime();
    const end = world.now.getTime();
    const problems: string[] = [];
    let previous: DemoEvent | null = null;
    for (const e of all) {
      const t = e.at.getTime();
      const track = trackByKey.get(e.trackKey)!;
      if (t < start || t >= end) problems.push(`${e.eventId} outside the year`);
      if (previous && previous.userKey === e.userKey && t <= previous.at.getTime()) problems.push(`${e.eventId} not after previous`);
      if (t < track.releaseDate.getTime()) problems.push(`${e.eventId} before release`);
      if (track.isColdStart) problems.push(`${e.eventId} on cold-start track`);
      previous = e;
    }
    expect(problems).toEqual([]);
    // Spread over the whole year: every quarter holds at least a sixth of the events.
    const quarters = [0, 0, 0, 0];
    for (const e of all) quarters[Math.min(3, Math.floor(((e.at.getTime() - start) / (end - start)) * 4))]++;
    for (const q of quarters) expect(q / all.length).toBeGreaterThan(1 / 6);
  });

  it("gives plausible play lengths and saves and visits that follow a stream", () => {
    const problems: string[] = [];
    const saved = new Set<string>();
    const streamed = new Set<string>();
    for (const e of all) {
      const track = trackByKey.get(e.trackKey)!;
      const pair = `${e.userKey}|${e.trackKey}`;
      if (e.kind === "stream") {
        streamed.add(pair);
        if (!(e.msPlayed! > 0 && e.msPlayed! <= track.durationMs)) problems.push(`${e.eventId} stream ms ${e.msPlayed}`);
      } else if (e.kind === "skip") {
        if (!(e.msPlayed! >= 2000 && e.msPlayed! < 30_000)) problems.push(`${e.eventId} skip ms ${e.msPlayed}`);
      } else {
        if (e.msPlayed !== undefined) problems.push(`${e.eventId} ${e.kind} has msPlayed`);
        if (!streamed.has(pair)) problems.push(`${e.eventId} ${e.kind} without a stream before`);
        if (e.kind === "save") {
          if (saved.has(pair)) problems.push(`${e.eventId} saved twice`);
          saved.add(pair);
        }
      }
    }
    expect(problems).toEqual([]);
    const count = (kind: string) => all.filter((e) => e.kind === kind).length;
    expect(count("stream")).toBeGreaterThan(0.75 * all.length);
    expect(count("save")).toBeLessThan(count("stream") / 10);
    expect(count("save")).toBeGreaterThan(0);
    expect(count("artist_visit")).toBeGreaterThan(0);
    expect(count("skip")).toBeGreaterThan(0);
  });

  it("concentrates listening on each listener's taste, and skips off-taste far more", () => {
    let onTaste = 0;
    let plays = 0;
    const skips = { on: 0, onAll: 0, off: 0, offAll: 0 };
    for (const e of all) {
      if (e.kind !== "stream" && e.kind !== "skip") continue;
      const taste = userByKey.get(e.userKey)!.tasteGenres;
      const on = taste.some((t) => t.genre === trackByKey.get(e.trackKey)!.genre);
      plays++;
      if (on) {
        onTaste++;
        skips.onAll++;
        if (e.kind === "skip") skips.on++;
      } else {
        skips.offAll++;
        if (e.kind === "skip") skips.off++;
      }
    }
    expect(onTaste / plays).toBeGreaterThan(0.85);
    expect(skips.off / skips.offAll).toBeGreaterThan(3 * (skips.on / skips.onAll));
  });

  it("follows popularity with a long tail", () => {
    const streams = new Map<string, number>();
    for (const e of all) if (e.kind === "stream") streams.set(e.trackKey, (streams.get(e.trackKey) ?? 0) + 1);
    const counts = world.tracks
      .filter((t) => !t.isColdStart)
      .map((t) => streams.get(t.key) ?? 0)
      .sort((a, b) => b - a);
    const total = counts.reduce((s, c) => s + c, 0);
    const top10 = counts.slice(0, Math.round(counts.length / 10)).reduce((s, c) => s + c, 0);
    expect(top10 / total).toBeGreaterThan(0.5);
    // Rank correlation of popularity and streams (Spearman, by ranks of both).
    const released = world.tracks.filter((t) => !t.isColdStart);
    const rank = (values: number[]) => {
      const order = values.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
      const r = new Float64Array(values.length);
      order.forEach(([, i], k) => {
        r[i] = k;
      });
      return r;
    };
    const a = rank(released.map((t) => t.popularity));
    const b = rank(released.map((t) => streams.get(t.key) ?? 0));
    const n = released.length;
    let d2 = 0;
    for (let i = 0; i < n; i++) d2 += (a[i] - b[i]) ** 2;
    expect(1 - (6 * d2) / (n * (n * n - 1))).toBeGreaterThan(0.6);
  });

  it("listens more in local evenings than in the small hours", () => {
    const offset = new Map(TIME_ZONES.map((z) => [z.zone, z.offsetMinutes * 60_000]));
    const hours = new Array(24).fill(0);
    for (const e of all) {
      const local = e.at.getTime() + offset.get(userByKey.get(e.userKey)!.timeZone)!;
      hours[Math.floor(local / 3_600_000) % 24]++;
    }
    expect(hours[20] + hours[21]).toBeGreaterThan(4 * (hours[3] + hours[4]));
  });
});
