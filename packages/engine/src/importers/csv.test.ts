import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCsvRows } from "./csv.ts";

const dir = mkdtempSync(join(tmpdir(), "csv-test-"));
async function rows(text: string) {
  const path = join(dir, "f.csv");
  writeFileSync(path, text);
  const out = [];
  for await (const row of readCsvRows(path, "f.csv")) out.push(row);
  return out;
}

describe("readCsvRows", () => {
  it("handles a BOM, quotes, doubled quotes, embedded newlines, CRLF and empty lines with start line numbers", async () => {
    expect(await rows('\uFEFFa,b\r\n"x,1","say ""hi""\r\nthere"\r\n\r\nlast,\r\n')).toEqual([
      { cells: ["a", "b"], line: 1 },
      { cells: ["x,1", 'say "hi"\nthere'], line: 2 },
      { cells: ["last", ""], line: 5 },
    ]);
  });

  it("counts skipped empty lines, at the start and in runs, and lines inside quoted cells, in the line numbers", async () => {
    expect(await rows('\n\na,b\n\n\n\n"1\n2\n3",x\n\ny,"z"\n\n')).toEqual([
      { cells: ["a", "b"], line: 3 },
      { cells: ["1\n2\n3", "x"], line: 7 },
      { cells: ["y", "z"], line: 11 },
    ]);
    await expect(rows('a\n\n\n1,"2\n\n3"\n\nb,"c\n')).rejects.toThrow("f.csv:8: unterminated quoted field");
  });

  it("reports an unterminated quote at the line it began, and a stray quote at its line", async () => {
    await expect(rows('a\n"open\nnever closed')).rejects.toThrow("f.csv:2: unterminated quoted field");
    await expect(rows('a,b\n1,2\n3,"x"y\n')).rejects.toThrow(/^f\.csv:3: Invalid Closing Quote/);
  });
});
