import { describe, expect, it } from "vitest";
import { splitTermKey, termExtractor } from "./extract.ts";
import { loadNatural } from "./natural-lib.ts";

describe("termExtractor", () => {
  it("finds bigrams, noun phrases and adjectives, without stopwords", async () => {
    const extract = termExtractor(await loadNatural());
    const { counts, surfaces } = extract("The band plays perky Swedish pop. Their dancing queen is a perky song about disco.");
    const of = (kind: string) =>
      [...counts.keys()]
        .map(splitTermKey)
        .filter((t) => t.kind === kind)
        .map((t) => t.text);
    expect(of("adj")).toEqual(expect.arrayContaining(["perky", "swedish"]));
    expect(counts.get("adj:perky")).toBe(2);
    expect(of("n2")).toEqual(expect.arrayContaining(["swedish pop", "perky swedish", "dancing queen"]));
    expect(of("n2")).not.toContain("pop their"); // bigrams stop at sentence ends
    expect(of("np")).toEqual(expect.arrayContaining(["perky swedish pop", "dancing queen", "perky song"]));
    expect(of("n1")).not.toEqual(expect.arrayContaining(["the"]));
    // n1 terms are stems, shown by their shortest surface form.
    expect(counts.get("n1:danc")).toBe(1);
    expect(surfaces.get("n1:danc")).toBe("dancing");
    expect(of("n1").some((t) => ["the", "a", "is", "about", "their"].includes(t))).toBe(false);
  });

  it("splits hyphenated genres into a bigram and reads accented words whole", async () => {
    const extract = termExtractor(await loadNatural());
    const { counts } = extract("Björk mixes post-grunge and trip-hop.");
    expect(counts.has("n2:post grunge")).toBe(true);
    expect(counts.has("n2:trip hop")).toBe(true);
    expect([...counts.keys()].some((k) => k.startsWith("n1:bj"))).toBe(true);
    expect(counts.has("n1:bj")).toBe(false);
  });
});
