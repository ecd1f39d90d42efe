import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld, type DemoWorld } from "@deepcuts/demo";
import { CancelledError } from "@deepcuts/models/core";
import { loadDemoWorld } from "@deepcuts/engine/demo-loader.ts";
import { synthesizeDemoAudio } from "@deepcuts/engine/audio/synthesize.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

let t: TestDatabase;
let world: DemoWorld;

beforeAll(async () => {
  t = await createTestDatabase("embedded");
  world = generateWorld({ seed: 5, listeners: 20, artists: 11, tracks: 14, events: 400 });
  await loadDemoWorld(t.db, world);
});

afterAll(async () => {
  await t?.drop();
});

describe("demo audio synthesis", () => {
  it("resumes after an interruption, and labels every clip in the folder with its true tempo and key", async () => {
    const stop = new AbortController();
    await expect(synthesizeDemoAudio(t.db, t.home!, { signal: stop.signal, onProgress: (_m, done) => done >= 5 && stop.abort() })).rejects.toThrow(
      CancelledError,
    );
    const dir = join(t.home!, "audio", "demo");
    const written = readdirSync(dir).filter((f) => f.endsWith(".wav")).length;
    expect(written).toBeGreaterThanOrEqual(5);
    expect(written).toBeLessThan(14);

    expect(await synthesizeDemoAudio(t.db, t.home!)).toBe(14 - written);
    const [header, ...rows] = readFileSync(join(dir, "labels.csv"), "utf8").trim().split("\n");
    expect(header).toBe("path,tempo_bpm,key,mode,meter,genre");
    expect(rows).toHaveLength(14);
    for (const track of world.tracks) {
      expect(rows).toContain(`${track.key}.wav,${track.tempo},${track.musicalKey},${track.mode},4/4,${track.genre}`);
    }
    // Nothing left to do: no clip rewritten, labels unchanged.
    expect(await synthesizeDemoAudio(t.db, t.home!)).toBe(0);
    expect(readFileSync(join(dir, "labels.csv"), "utf8").trim().split("\n")).toHaveLength(15);
  });
});
