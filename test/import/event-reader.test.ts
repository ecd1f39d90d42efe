import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readEventBatches, type EventBatchRead } from "@deepcuts/engine/importers/event-reader.ts";
import { ImportError } from "@deepcuts/engine/importers/import-error.ts";

// The events import's reader (event-reader.ts): batches of the configured size with the key
// caches forgotten at merge points, and a bad row failing the file with its file and line after
// the batches before it.
const dir = mkdtempSync(join(tmpdir(), "deepcuts-event-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const now = new Date("2026-12-07T00:00:00Z");

function csv(name: string, rows: number, bad?: { row: number; cell: string }): string {
  const lines = ["user,kind,occurred_at,track,artist,track_title,playlist_id,position"];
  for (let i = 0; i < rows; i++) {
    const when = new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString();
    const slot = i % 7 === 0 ? `${1 + (i % 3)},${i % 30}` : ",";
    lines.push(`u${i % 13},stream,${bad?.row === i ? bad.cell : when},t${i % 41},a${i % 5},"Title, ${i % 41}",${slot}`);
  }
  const path = join(dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

async function all(batches: AsyncIterable<EventBatchRead>): Promise<EventBatchRead[]> {
  const out: EventBatchRead[] = [];
  for await (const read of batches) out.push(read);
  return out;
}

describe("reading an events file into batches", () => {
  it("hands out batches of the configured size, key caches and slot events included", async () => {
    const path = csv("same.csv", 2_500);
    const here = await all(readEventBatches(path, "csv", now, { copyBatch: 300, mergeEvery: 900, keyCache: 10 }));
    expect(here.map((r) => r.batch.rows)).toEqual([...Array(8).fill(300), 100]);
    // A key seen again is staged again only after a merge point with more keys than the cache holds.
    const users = here.map((r) => r.batch.users.split("\n").filter(Boolean).length);
    expect(users).toEqual([13, 0, 0, 13, 0, 0, 13, 0, 0]);
    expect(here.flatMap((r) => r.batch.contexts).length).toBe(Math.ceil(2_500 / 7));
    expect(here.at(-1)!.bytesRead).toBeGreaterThan(here[0].bytesRead);
  });

  it("fails with the row's file and line, after the batches before it", async () => {
    const path = csv("bad.csv", 1_000, { row: 700, cell: "yesterday" });
    const got: number[] = [];
    const error = await (async () => {
      try {
        for await (const read of readEventBatches(path, "csv", now, { copyBatch: 250 })) got.push(read.batch.rows);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toMatchObject({ file: "bad.csv", line: 702 });
    expect((error as Error).message).toMatch(/^bad\.csv:702: occurred_at: /);
    expect(got).toEqual([250, 250]);
  });

  it("names the field and the line of a count that is not one, in CSV and in JSON lines", async () => {
    const bad = join(dir, "bad-count.csv");
    writeFileSync(bad, "user,kind,occurred_at,track,ms_played\nu1,stream,2026-11-01T00:00:00Z,t1,180000\n\nu1,stream,2026-11-01T00:01:00Z,t2,-5\n");
    await expect(all(readEventBatches(bad, "csv", now))).rejects.toThrow("bad-count.csv:4: ms_played must be a non-negative integer, got '-5'");
    const lines = join(dir, "bad-count.jsonl");
    writeFileSync(lines, '{"user":"u1","kind":"stream","occurred_at":"2026-11-01T00:00:00Z","track":"t1","position":"first"}\n');
    await expect(all(readEventBatches(lines, "jsonl", now))).rejects.toThrow("bad-count.jsonl:1: position must be a non-negative integer, got 'first'");
  });

  it("fails on a file it cannot read instead of waiting for rows", async () => {
    await expect(all(readEventBatches(join(dir, "missing.csv"), "csv", now))).rejects.toThrow(/ENOENT/);
    await expect(all(readEventBatches(join(dir, "missing.jsonl"), "jsonl", now))).rejects.toThrow(/ENOENT/);
  });
});
