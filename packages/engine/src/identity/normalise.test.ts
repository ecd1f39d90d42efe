import { describe, expect, it } from "vitest";
import { matchTitle, normaliseArtist, normaliseTitle, sameDuration } from "./normalise.ts";

describe("identity normaliser", () => {
  it("folds case, diacritics, punctuation, featured artists and a leading The in artist names", () => {
    expect(normaliseArtist("The Beatles")).toBe(normaliseArtist("beatles"));
    expect(normaliseArtist("Beyoncé feat. JAY-Z")).toBe(normaliseArtist("BEYONCE"));
    expect(normaliseArtist("Sigur Rós ft. Someone")).toBe("sigur ros");
    expect(normaliseArtist("Simon & Garfunkel")).toBe(normaliseArtist("Simon and Garfunkel"));
    expect(normaliseArtist("The The")).toBe("the");
    expect(normaliseArtist("AC/DC")).not.toBe(normaliseArtist("ABBA"));
  });

  it("keeps remaster and live suffixes as the version, whichever way a catalogue writes them", () => {
    expect(matchTitle("Let It Be - Remastered 2009")).toBe(matchTitle("Let It Be (2009 Remaster)"));
    expect(normaliseTitle("Let It Be - Remastered 2009")).toEqual({ title: "let it be", version: "2009 remaster" });
    expect(matchTitle("Let It Be")).not.toBe(matchTitle("Let It Be - Live"));
    expect(matchTitle("Roxanne (Live Version)")).toBe(matchTitle("Roxanne - Live"));
    expect(matchTitle("Crazy in Love (feat. JAY-Z)")).toBe(matchTitle("crazy in love"));
    expect(matchTitle("Don't Stop Me Now")).toBe(matchTitle("Dont Stop Me Now!"));
    // Brackets that are part of the title stay in it.
    expect(normaliseTitle("(I Can't Get No) Satisfaction").title).toBe("i cant get no satisfaction");
    expect(normaliseTitle("Song - Part Two").title).toBe("song part two");
  });

  it("matches durations within 3 s, and an unknown duration with any", () => {
    expect(sameDuration(200_000, 202_900)).toBe(true);
    expect(sameDuration(200_000, 203_500)).toBe(false);
    expect(sameDuration(0, 203_500)).toBe(true);
    expect(sameDuration(null, 1)).toBe(true);
  });
});
