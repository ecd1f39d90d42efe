import { describe, expect, it } from "vitest";
import { generateWorld } from "../world.ts";
import { TEST_NOW } from "../test-support/fixture.ts";

const world = generateWorld({ now: TEST_NOW, listeners: 50, events: 100 });
const artistByKey = new Map(world.artists.map((a) => [a.key, a]));
const trackByKey = new Map(world.tracks.map((t) => [t.key, t]));
const genreOf = (entityKind: string, key: string) => (entityKind === "artist" ? artistByKey.get(key)!.genre : trackByKey.get(key)!.genre);

/** Lower-case word tokens with markup and links removed: what a text cleaner would keep. */
function tokens(text: string): string[] {
  return (
    text
      .replace(/<[^>]*>/g, " ")
      .replace(/https?:\/\/\S+/g, " ")
      .toLowerCase()
      .match(/[a-z][a-z'-]+/g) ?? []
  );
}

describe("documents", () => {
  it("are about existing artists and tracks; every artist has a bio document", () => {
    expect(new Set(world.documents.map((d) => d.key)).size).toBe(world.documents.length);
    const orphans = world.documents.filter((d) => (d.entityKind === "artist" ? !artistByKey.has(d.entityKey) : !trackByKey.has(d.entityKey)));
    expect(orphans).toEqual([]);
    for (const artist of world.artists) {
      const bio = world.documents.find((d) => d.entityKey === artist.key && d.source === "bio");
      expect(bio?.text).toBe(artist.bio);
    }
    const sources = new Set(world.documents.map((d) => d.source));
    expect([...sources].sort()).toEqual(["bio", "blog", "review", "tag"]);
    expect(world.documents.filter((d) => d.entityKind === "track").length).toBeGreaterThan(300);
  });

  it("carry noise for the cleaner: markup, links and boilerplate", () => {
    const share = (re: RegExp) => world.documents.filter((d) => re.test(d.text)).length / world.documents.length;
    expect(share(/<[a-z/][^>]*>/)).toBeGreaterThan(0.1);
    expect(share(/https:\/\//)).toBeGreaterThan(0.05);
    expect(share(/All rights reserved|cookies|Share this/)).toBeGreaterThan(0.05);
  });

  it("name their genre through vocabulary: nearest genre centroid recovers it far above chance", () => {
    // Centroids from the documents of even-numbered artists, judged on the others'.
    const isTrain = (d: (typeof world.documents)[number]) => {
      const artistKey = d.entityKind === "artist" ? d.entityKey : trackByKey.get(d.entityKey)!.artistKey;
      return Number(artistKey.slice(-4)) % 2 === 0;
    };
    const centroids = new Map<string, Map<string, number>>();
    for (const d of world.documents.filter(isTrain)) {
      const genre = genreOf(d.entityKind, d.entityKey);
      const counts = centroids.get(genre) ?? new Map<string, number>();
      for (const t of tokens(d.text)) counts.set(t, (counts.get(t) ?? 0) + 1);
      centroids.set(genre, counts);
    }
    const norms = new Map([...centroids].map(([g, c]) => [g, Math.sqrt([...c.values()].reduce((s, v) => s + v * v, 0))]));
    let right = 0;
    let judged = 0;
    for (const d of world.documents.filter((x) => !isTrain(x))) {
      const words = new Map<string, number>();
      for (const t of tokens(d.text)) words.set(t, (words.get(t) ?? 0) + 1);
      let best = "";
      let bestScore = -1;
      for (const [genre, counts] of centroids) {
        let dot = 0;
        for (const [w, c] of words) dot += c * (counts.get(w) ?? 0);
        const score = dot / norms.get(genre)!;
        if (score > bestScore) {
          bestScore = score;
          best = genre;
        }
      }
      judged++;
      if (best === genreOf(d.entityKind, d.entityKey)) right++;
    }
    expect(right / judged).toBeGreaterThan(0.6);
  });

  it("compare artists mostly to artists of the same or a kin genre", () => {
    const genres = new Map(world.genres.map((g) => [g.key, g]));
    const byName = new Map(world.artists.map((a) => [a.name, a]));
    let kin = 0;
    let total = 0;
    for (const artist of world.artists) {
      const match = /often compared to (.+) and (.+)\.$/.exec(artist.bio);
      expect(match, artist.bio).not.toBeNull();
      for (const name of [match![1], match![2]]) {
        const other = byName.get(name)!;
        total++;
        if (other.genre === artist.genre || genres.get(artist.genre)!.neighbours.includes(other.genre)) kin++;
      }
    }
    expect(kin / total).toBeGreaterThan(0.85);
  });
});
