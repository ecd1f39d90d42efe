import { describe, expect, it } from "vitest";
import { slotOutcome } from "../listener/outcomes.ts";
import { meanOfRates, proportion, zFor } from "./intervals.ts";
import { computeMetrics, slotSource, type SlotResult } from "./metrics.ts";

const slot = (userId: number, week: string, patch: Partial<SlotResult> = {}): SlotResult => ({
  week,
  userId,
  blendVersion: 1,
  explored: false,
  scores: { collaborative: 1, text: 0.2, audio: 0, popularity: 0.1, novelty: 0 },
  streamed: false,
  saved: false,
  skipped: false,
  hidden: false,
  newArtist: true,
  ...patch,
});

describe("online metric intervals", () => {
  it("gives the Wilson interval of known cases", () => {
    expect(zFor(0.95)).toBeCloseTo(1.96, 2);
    // 10 of 100: Wilson 95% interval 0.0552..0.1744 (Brown, Cai and DasGupta 2001).
    const p = proportion(10, 100);
    expect(p.value).toBe(0.1);
    expect(p.lower).toBeCloseTo(0.0552, 3);
    expect(p.upper).toBeCloseTo(0.1744, 3);
    expect(proportion(0, 0)).toEqual({ value: 0, lower: 0, upper: 1, n: 0 });
    expect(proportion(5, 5).upper).toBe(1);
  });

  it("averages per-listener rates with an interval from their spread", () => {
    const e = meanOfRates([0.1, 0.3, 0.2, 0.4]);
    expect(e.value).toBeCloseTo(0.25, 12);
    // sd 0.1291, se 0.0645, z 1.96
    expect(e.upper - e.value).toBeCloseTo((1.96 * 0.1291) / 2, 2);
    expect(meanOfRates([0.5])).toEqual({ value: 0.5, lower: 0, upper: 1, n: 1 });
  });
});

describe("slot outcomes and metrics", () => {
  it("counts a stream from 30 s or a full play, and names the other outcomes", () => {
    expect(slotOutcome("STREAM", 29_999, 200_000)).toBeNull();
    expect(slotOutcome("STREAM", 30_000, 200_000)).toBe("STREAM");
    expect(slotOutcome("STREAM", 20_000, 20_000)).toBe("FULL_PLAY");
    expect(slotOutcome("STREAM", null, 200_000)).toBe("STREAM");
    expect(slotOutcome("SKIP", 3_000, 200_000)).toBe("SKIP");
    expect(slotOutcome("DISLIKE", null, 0)).toBe("NOT_FOR_ME");
    expect(slotOutcome("PLAYLIST_ADD", null, 0)).toBe("PLAYLIST_ADD");
    expect(slotOutcome("ARTIST_VISIT", null, 0)).toBeNull();
  });

  it("credits a slot to exploration or its largest source, and computes every metric per group", () => {
    expect(slotSource({ explored: true, scores: { collaborative: 9 } })).toBe("exploration");
    expect(slotSource({ explored: false, scores: { collaborative: 0.1, text: 0.5, audio: 0.2, popularity: 0, novelty: 0 } })).toBe("text");
    const slots = [
      // Listener 1: 4 slots, 2 streamed (one of an artist they knew), 1 saved, 1 skipped and hidden.
      slot(1, "2026-11-16", { streamed: true, saved: true }),
      slot(1, "2026-11-16", { streamed: true, newArtist: false }),
      slot(1, "2026-11-16", { skipped: true, hidden: true }),
      slot(1, "2026-11-16", { explored: true }),
      // Listener 2: 2 slots, nothing.
      slot(2, "2026-11-16"),
      slot(2, "2026-11-16"),
      // Next week: listener 1 streams again, listener 2 still nothing.
      slot(1, "2026-11-23", { streamed: true }),
      slot(2, "2026-11-23"),
    ];
    const rows = computeMetrics(slots);
    const get = (week: string, source: string, metric: string) => rows.find((r) => r.week === week && r.source === source && r.metric === metric);
    expect(get("2026-11-16", "all", "reach")).toMatchObject({ value: 0.5, n: 2 });
    expect(get("2026-11-16", "all", "streamRate")!.value).toBeCloseTo((2 / 4 + 0) / 2, 12);
    expect(get("2026-11-16", "all", "saveRate")!.value).toBeCloseTo(1 / 8, 12);
    expect(get("2026-11-16", "all", "skipRate")!.value).toBeCloseTo(1 / 8, 12);
    expect(get("2026-11-16", "all", "hides")).toMatchObject({ value: 1, n: 6 });
    expect(get("2026-11-16", "all", "newArtistStreamShare")).toMatchObject({ value: 0.5, n: 2 });
    expect(get("2026-11-16", "all", "cameBack")).toMatchObject({ value: 1, n: 1 });
    expect(get("2026-11-23", "all", "cameBack")).toBeUndefined();
    expect(get("2026-11-16", "exploration", "streamRate")).toMatchObject({ value: 0, n: 1 });
    expect(get("2026-11-16", "collaborative", "streamRate")!.value).toBeCloseTo((2 / 3 + 0) / 2, 12);
    expect(get("2026-11-16", "collaborative", "cameBack")).toBeUndefined();
  });
});
