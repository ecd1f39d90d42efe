import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EVENT_KIND_WORDS, EVENT_KINDS, EVENT_MEANING, eventKindOfWord, kindsCounting, trackStrength } from "./kinds.ts";

describe("event kinds", () => {
  it("are the EventKind enum of prisma/schema.prisma, in its order", () => {
    const schema = readFileSync(new URL("../../../../prisma/schema.prisma", import.meta.url), "utf8");
    const block = /enum EventKind \{([^}]*)\}/.exec(schema)![1];
    const values = block
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("//"));
    expect(EVENT_KINDS).toEqual(values);
  });

  it("read from files by their own name in any case, and by the aliases", () => {
    for (const kind of EVENT_KINDS) {
      expect(eventKindOfWord(kind.toLowerCase())).toBe(kind);
      expect(eventKindOfWord(kind)).toBe(kind);
    }
    expect(eventKindOfWord("play")).toBe("STREAM");
    expect(eventKindOfWord("visit")).toBe("ARTIST_VISIT");
    expect(eventKindOfWord("Not_For_Me")).toBe("DISLIKE");
    expect(eventKindOfWord("constructor")).toBeNull();
    expect(eventKindOfWord("listen")).toBeNull();
    expect(Object.keys(EVENT_KIND_WORDS)).toHaveLength(EVENT_KINDS.length + 3);
  });

  it("mean what the aggregates and training count", () => {
    expect(kindsCounting({ track: "streams" })).toEqual(["STREAM"]);
    expect(kindsCounting({ track: "saves" })).toEqual(["SAVE", "PLAYLIST_ADD"]);
    expect(kindsCounting({ artist: "visits" })).toEqual(["ARTIST_VISIT"]);
    expect(kindsCounting({ artist: "dislikes" })).toEqual(["DISLIKE"]);
    expect(EVENT_KINDS.filter((k) => EVENT_MEANING[k].signal === "negative")).toEqual(["SKIP", "DISLIKE"]);
    expect(EVENT_KINDS.filter((k) => !EVENT_MEANING[k].needsTrack)).toEqual(["ARTIST_VISIT", "DISLIKE"]);
    // A stream 1, a save 5 (the models' default signal weights).
    expect(trackStrength(2, 1)).toBe(7);
  });
});
