import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lastfmPlayMatrix, readLastfm2k } from "./lastfm2k.ts";
import { findSharedDataset } from "./shared-data.ts";

const lastfm = findSharedDataset("lastfm-2k");

describe("readLastfm2k", () => {
  it.skipIf(!lastfm.path)(`reads the real folder ${lastfm.reason}`, async () => {
    const data = await readLastfm2k(lastfm.path!);
    const m = lastfmPlayMatrix(data);
    expect(data.artists.length).toBe(17632);
    expect(data.plays.length).toBe(92834);
    expect(m.users.size).toBe(1892);
    expect(m.userItems.indptr[m.userItems.rows]).toBe(92834);
    expect(data.taggings.length).toBe(186479);
    expect(data.tags.get(1)).toBe("metal");
  });

  it("names the file and line of a malformed row", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lastfm-"));
    writeFileSync(join(dir, "artists.dat"), "id\tname\turl\tpictureURL\n1\tA\tu\tp\n");
    writeFileSync(join(dir, "user_artists.dat"), "userID\tartistID\tweight\n2\t1\t10\n2\t1\tmany\n");
    await expect(readLastfm2k(dir)).rejects.toThrow("user_artists.dat:3: weight must be a non-negative integer, got 'many'");
  });
});
