import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { firstJsonChar, readJsonLines, readJsonValues } from "./json-stream.ts";

const dir = mkdtempSync(join(tmpdir(), "json-stream-"));
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
async function all<T>(items: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("readJsonValues", () => {
  it("streams the elements of a top-level array with the line each starts on, across read chunks", async () => {
    // 3,000 pretty-printed elements of 4 lines each: far more than one 64 KiB read chunk.
    const elements = Array.from({ length: 3000 }, (_, i) => `  {\n    "i": ${i},\n    "name": "é ${"x".repeat(40)}"\n  }`);
    const path = write("big.json", `\uFEFF[\n${elements.join(",\n")}\n]\n`);
    const items = await all(readJsonValues(path, "big.json", ["$.*"]));
    expect(items.length).toBe(3000);
    items.forEach((item, i) => {
      expect((item.value as { i: number }).i).toBe(i);
      expect(item.line).toBe(2 + 4 * i);
    });
    expect(await firstJsonChar(path)).toBe("[");
  });

  it("picks nested arrays (Last.fm pages) and names the line of broken or truncated JSON", async () => {
    const page = write("page.json", '{"recenttracks": {\n"track": [\n{"name": "a"},\n{"name": "b"}\n], "@attr": {"page": "1"}}}');
    const items = await all(readJsonValues(page, "page.json", ["$.recenttracks.track.*"]));
    expect(items).toEqual([
      { value: { name: "a" }, line: 3 },
      { value: { name: "b" }, line: 4 },
    ]);
    const broken = write("broken.json", '[\n{"a": 1},\n{"a": 2,,}\n]');
    await expect(all(readJsonValues(broken, "broken.json", ["$.*"]))).rejects.toThrow(/^broken\.json:3: not valid JSON/);
    const truncated = write("truncated.json", '[\n{"a": 1},\n{"a": 2');
    await expect(all(readJsonValues(truncated, "truncated.json", ["$.*"]))).rejects.toThrow(/^truncated\.json:3: not valid JSON/);
  });
});

describe("readJsonLines", () => {
  it("reads one value per line, skipping blank lines, and names a broken line", async () => {
    const path = write("listens.jsonl", '{"a": 1}\r\n\r\n{"a": 2}\n');
    expect(await all(readJsonLines(path, "listens.jsonl"))).toEqual([
      { value: { a: 1 }, line: 1 },
      { value: { a: 2 }, line: 3 },
    ]);
    const bad = write("bad.jsonl", '{"a": 1}\n{"a": \n');
    await expect(all(readJsonLines(bad, "bad.jsonl"))).rejects.toThrow(/^bad\.jsonl:2: not valid JSON/);
  });
});
