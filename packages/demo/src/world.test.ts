import { describe, expect, it } from "vitest";
import { generateWorld } from "./world.ts";
import { TEST_NOW, DAY_MS } from "./test-support/fixture.ts";

const world = generateWorld({ now: TEST_NOW });

describe("generateWorld", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    // JSON keeps every field (dates as ISO strings) and compares far faster than a deep equal;
    // compared as strings, a failure shows where the two worlds part.
    expect(JSON.stringify(generateWorld({ now: TEST_NOW }))).toBe(JSON.stringify(world));
    const other = generateWorld({ seed: 43, now: TEST_NOW });
    expect(other.tracks.map((t) => t.tempo)).not.toEqual(world.tracks.map((t) => t.tempo));
    expect(other.artists.map((a) => a.name)).not.toEqual(world.artists.map((a) => a.name));
  });

  it("has the default sizes, and explicit counts override them", () => {
    expect(world.seed).toBe(42);
    expect([world.users.length, world.artists.length, world.tracks.length, world.eventCount]).toEqual([2000, 300, 3000, 200_000]);
    expect(world.genres.length).toBeGreaterThanOrEqual(8);
    expect(world.genres.length).toBeLessThanOrEqual(12);
    const small = generateWorld({ now: TEST_NOW, listeners: 50, artists: 20, tracks: 60, events: 1000 });
    expect([small.users.length, small.artists.length, small.tracks.length, small.eventCount]).toEqual([50, 20, 60, 1000]);
    expect(small.users.reduce((s, u) => s + u.eventCount, 0)).toBe(1000);
  });

  it("rejects impossible sizes with the argument and the value", () => {
    expect(() => generateWorld({ listeners: 0 })).toThrow("listeners must be an integer 1..10000000, got 0");
    expect(() => generateWorld({ artists: 5 })).toThrow(/artists must be an integer 11\.\.3000, got 5/);
    expect(() => generateWorld({ tracks: 100, artists: 200 })).toThrow(/artists .* got 200/);
    expect(() => generateWorld({ listeners: 10, events: 30_000 })).toThrow("events must be an integer 0..20000, got 30000");
    expect(() => generateWorld({ seed: 1.5 })).toThrow("seed must be an integer, got 1.5");
    expect(() => generateWorld({ now: new Date("nope") })).toThrow(/now must be a valid Date/);
  });

  it("gives unique stable keys and consistent references", () => {
    const artistKeys = new Set(world.artists.map((a) => a.key));
    expect(artistKeys.size).toBe(world.artists.length);
    expect(world.artists[0].key).toBe("demo-artist-0001");
    expect(world.tracks[0].key).toBe("demo-track-00001");
    expect(world.users[0].key).toBe("demo-user-000001");
    expect(new Set(world.tracks.map((t) => t.key)).size).toBe(world.tracks.length);
    expect(new Set(world.artists.map((a) => a.name)).size).toBe(world.artists.length);
    const artistGenre = new Map(world.artists.map((a) => [a.key, a.genre]));
    expect(world.tracks.filter((t) => artistGenre.get(t.artistKey) !== t.genre)).toEqual([]);
    for (const g of world.genres) expect(world.artists.some((a) => a.genre === g.key)).toBe(true);
  });

  it("keeps every track's ground truth inside its genre's habits", () => {
    const genres = new Map(world.genres.map((g) => [g.key, g]));
    const pitchClasses = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
    const outside = world.tracks.filter((t) => {
      const g = genres.get(t.genre)!;
      return (
        !Number.isInteger(t.tempo) ||
        t.tempo < g.tempoRange[0] ||
        t.tempo > g.tempoRange[1] ||
        !pitchClasses.includes(t.musicalKey) ||
        (t.mode !== "major" && t.mode !== "minor") ||
        t.durationMs < 90_000 ||
        t.durationMs > 540_000 ||
        !(t.popularity > 0 && t.popularity <= 1)
      );
    });
    expect(outside).toEqual([]);
    expect(Math.max(...world.tracks.map((t) => t.popularity))).toBe(1);
    // Each genre's share of major keys follows its majorShare.
    for (const g of world.genres) {
      const tracks = world.tracks.filter((t) => t.genre === g.key);
      const major = tracks.filter((t) => t.mode === "major").length / tracks.length;
      expect(Math.abs(major - g.majorShare)).toBeLessThan((4 / Math.sqrt(tracks.length)) * 0.5 + 0.02);
    }
    // Every tempo range is narrower than an octave (so a tempo is unambiguous within its genre).
    for (const g of world.genres) expect(g.tempoRange[1] / g.tempoRange[0]).toBeLessThan(1.6);
  });

  it("releases exactly the cold-start tracks in the 7 days before now", () => {
    const now = TEST_NOW.getTime();
    const cold = world.tracks.filter((t) => t.isColdStart);
    expect(cold.length).toBe(60);
    const wrong = world.tracks.filter((t) => {
      const inLastWeek = t.releaseDate.getTime() >= now - 7 * DAY_MS && t.releaseDate.getTime() < now;
      return inLastWeek !== t.isColdStart;
    });
    expect(wrong).toEqual([]);
    expect(world.tracks.filter((t) => t.releaseDate.getTime() >= now - 365 * DAY_MS).length).toBeGreaterThan(600);
    expect(world.yearStart.getTime()).toBe(now - 365 * DAY_MS);
  });

  it("gives listeners taste mixtures, onboarding artists, time zones and cold listeners", () => {
    const artistGenre = new Map(world.artists.map((a) => [a.key, a.genre]));
    const bad = world.users.filter((u) => {
      const total = u.tasteGenres.reduce((s, t) => s + t.weight, 0);
      const sorted = u.tasteGenres.every((t, i) => i === 0 || t.weight <= u.tasteGenres[i - 1].weight);
      const seeds = u.seedArtistKeys.length > 0 && u.seedArtistKeys.every((a) => artistGenre.get(a) === u.tasteGenres[0].genre);
      return Math.abs(total - 1) > 1e-9 || !sorted || !seeds;
    });
    expect(bad).toEqual([]);
    for (const zone of new Set(world.users.map((u) => u.timeZone))) {
      expect(() => new Intl.DateTimeFormat("en", { timeZone: zone })).not.toThrow();
    }
    expect(new Set(world.users.map((u) => u.timeZone)).size).toBeGreaterThanOrEqual(15);
    expect(world.users.filter((u) => u.eventCount === 0).length).toBeGreaterThanOrEqual(3);
    expect(world.users.filter((u) => u.eventCount >= 1 && u.eventCount <= 5).length).toBeGreaterThanOrEqual(3);
    expect(world.users.reduce((s, u) => s + u.eventCount, 0)).toBe(world.eventCount);
    // Mixed tastes lean towards kin genres.
    const genres = new Map(world.genres.map((g) => [g.key, g]));
    let kin = 0;
    let pairs = 0;
    for (const u of world.users) {
      for (const t of u.tasteGenres.slice(1)) {
        pairs++;
        if (u.tasteGenres.some((o) => genres.get(o.genre)!.neighbours.includes(t.genre))) kin++;
      }
    }
    expect(kin / pairs).toBeGreaterThan(0.6);
  });

  it("makes genre kinship symmetric and visible in shared vocabulary", () => {
    const byKey = new Map(world.genres.map((g) => [g.key, g]));
    const jaccard = (a: string[], b: string[]) => {
      const sa = new Set(a);
      const shared = b.filter((w) => sa.has(w)).length;
      return shared / (sa.size + b.length - shared);
    };
    let kin = 0;
    let kinPairs = 0;
    let other = 0;
    let otherPairs = 0;
    for (const g of world.genres) {
      for (const n of g.neighbours) expect(byKey.get(n)!.neighbours).toContain(g.key);
      for (const h of world.genres) {
        if (h.key <= g.key) continue;
        const j = jaccard(g.vocabulary, h.vocabulary);
        if (g.neighbours.includes(h.key)) {
          kin += j;
          kinPairs++;
        } else {
          other += j;
          otherPairs++;
        }
      }
    }
    expect(kin / kinPairs).toBeGreaterThan(2 * (other / otherPairs));
  });

  it("writes web articles that name several artists, mostly of one scene", () => {
    const genreOf = new Map(world.artists.map((a) => [a.key, a.genre]));
    const byKind = (kind: string) => world.articles.filter((a) => a.url.includes(`/${kind}/`));
    // A review of every artist, a roundup per artist and a festival line-up per twenty artists.
    expect([byKind("review").length, byKind("roundup").length, byKind("festival").length]).toEqual([300, 300, 15]);
    expect(new Set(world.articles.map((a) => a.key)).size).toBe(world.articles.length);
    expect(new Set(byKind("review").map((a) => a.artistKeys[0])).size).toBe(300);
    const bad = world.articles.filter(
      (a) =>
        !a.url.startsWith("https://press.demo.deepcuts.invalid/") ||
        a.text.length < 200 ||
        a.artistKeys.length < 2 ||
        new Set(a.artistKeys).size !== a.artistKeys.length ||
        a.artistKeys.some((k) => !a.text.includes(world.artists.find((x) => x.key === k)!.name)) ||
        a.publishedAt.getTime() > TEST_NOW.getTime() ||
        a.publishedAt.getTime() < TEST_NOW.getTime() - 365 * DAY_MS,
    );
    expect(bad).toEqual([]);
    // Pairs named together: mostly one genre in reviews and roundups, mostly not at festivals.
    const sameGenreShare = (articles: typeof world.articles) => {
      let same = 0,
        pairs = 0;
      for (const a of articles)
        for (let i = 0; i < a.artistKeys.length; i++)
          for (let j = i + 1; j < a.artistKeys.length; j++) {
            pairs++;
            if (genreOf.get(a.artistKeys[i]) === genreOf.get(a.artistKeys[j])) same++;
          }
      return same / pairs;
    };
    expect(sameGenreShare([...byKind("review"), ...byKind("roundup")])).toBeGreaterThan(0.6);
    expect(sameGenreShare(byKind("festival"))).toBeLessThan(0.3);
  });
});
