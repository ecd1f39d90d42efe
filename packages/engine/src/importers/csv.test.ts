import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv.ts";

describe("parseCsv", () => {
  it("handles quotes, doubled quotes, embedded newlines and CRLF with line numbers", () => {
    const rows = parseCsv('a,b\r\n"x,1","say ""hi""\nthere"\nlast,\n', "f.csv");
    expect(rows).toEqual([
      { cells: ["a", "b"], line: 1 },
      { cells: ["x,1", 'say "hi"\nthere'], line: 2 },
      { cells: ["last", ""], line: 4 },
    ]);
  });

  it("reports an unterminated quote at the line it began", () => {
    expect(() => parseCsv('a\n"open\nnever closed', "f.csv")).toThrow("f.csv:2: unterminated quoted field");
  });
});
