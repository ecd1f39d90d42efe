import { describe, expect, it } from "vitest";
import { CulturalModel } from "./model.ts";
import type { CulturalDocument } from "./options.ts";

const docs: CulturalDocument[] = [
  { entityId: "abba", kind: "artist", text: "ABBA were a Swedish pop group. Their disco era hits and Swedish pop melodies made them famous.", source: "bio" },
  { entityId: "roxette", kind: "artist", text: "Roxette was a Swedish pop duo with catchy pop melodies. Read more on Last.fm", source: "bio" },
  { entityId: "slayer", kind: "artist", text: "Slayer played thrash metal with fast guitar riffs and heavy drums.", source: "bio" },
  {
    entityId: "metallica",
    kind: "artist",
    text: "Metallica pioneered thrash metal; heavy guitar riffs define <b>their</b> sound. https://metallica.com",
    source: "review",
  },
  { entityId: "abba", kind: "artist", text: "swedish pop", source: "tag" },
  { entityId: "dancing-queen", kind: "track", text: "Dancing Queen is a disco era song with a perky melody.", source: "blog" },
  { entityId: "slayer", kind: "artist", text: "thrash metal", source: "tag" },
  { entityId: "roxette", kind: "artist", text: "swedish pop", source: "tag" },
];

const termsOf = (m: CulturalModel, id: string) =>
  m
    .topTerms(id, { n: 1000 })!
    .terms.map((t) => `${t.kind}:${t.term}:${t.count}:${t.weight.toFixed(6)}`)
    .sort();

describe("CulturalModel", () => {
  it("finds the artist that shares the most terms, and says which terms", async () => {
    const m = new CulturalModel({ minDf: 2 });
    await m.addDocuments(docs);
    const [nearest] = m.similar("abba", { n: 3 });
    expect(nearest.entityId).toBe("roxette");
    expect(nearest.sharedTerms.map((t) => t.term)).toContain("swedish pop");
    expect(m.similar("slayer", { n: 1 })[0].entityId).toBe("metallica");
    expect(m.similar("slayer", { n: 5, kind: "track" })).toEqual([]);
  });

  it("top terms per kind read as probabilities and leave out stopwords and markup", async () => {
    const m = new CulturalModel();
    await m.addDocuments(docs);
    const all = m.topTerms("abba", { n: 1000 })!;
    expect(all.inherited).toBe(false);
    expect(all.terms.reduce((s, t) => s + t.weight, 0)).toBeCloseTo(1, 5);
    const bigrams = m.topTerms("abba", { kind: "n2", n: 3 })!.terms;
    expect(bigrams[0]).toMatchObject({ term: "swedish pop", kind: "n2", count: 3 });
    expect(m.topTerms("abba", { kind: "adj" })!.terms.map((t) => t.term)).toContain("swedish");
    const words = m.topTerms("metallica", { kind: "n1", n: 100 })!.terms.map((t) => t.term);
    expect(words).not.toContain("their");
    expect(words.some((w) => /http|metallica\.com|<b>/.test(w))).toBe(false);
    expect(m.topTerms("roxette", { n: 100 })!.terms.some((t) => /read|last/.test(t.term))).toBe(false);
  });

  it("adding documents in batches equals building from scratch, document frequencies included", async () => {
    const whole = new CulturalModel({ minDf: 1 });
    await whole.addDocuments(docs);
    const batched = new CulturalModel({ minDf: 1 });
    await batched.addDocuments(docs.slice(0, 3));
    batched.similar("abba"); // vectors built, then invalidated by the next add
    await batched.addDocuments(docs.slice(3, 5));
    await batched.addDocuments(docs.slice(5));
    const df = (m: CulturalModel) => Object.fromEntries(m.corpus.terms.ids.map((k, t) => [k, m.corpus.df[t]]));
    expect(df(batched)).toEqual(df(whole));
    // Document frequencies agree with the counts they summarise.
    for (const [key, value] of Object.entries(df(whole))) {
      const t = whole.corpus.terms.indexOf(key);
      expect(whole.corpus.counts.filter((c) => c.has(t)).length).toBe(value);
    }
    for (const id of ["abba", "roxette", "slayer", "metallica", "dancing-queen"]) {
      expect(termsOf(batched, id)).toEqual(termsOf(whole, id));
      const a = whole.similar(id, { n: 4 }),
        b = batched.similar(id, { n: 4 });
      expect(b.map((s) => [s.entityId, s.score.toFixed(6)])).toEqual(a.map((s) => [s.entityId, s.score.toFixed(6)]));
    }
    expect(batched.documentCount).toBe(docs.length);
  });

  it("a track without text inherits its artist's vector, marked inherited", async () => {
    const artistOf = (track: string) => ({ waterloo: "abba", orphan: "nobody" })[track];
    const m = new CulturalModel({ artistOf });
    await m.addDocuments(docs);
    const own = m.vector("abba")!,
      inherited = m.vector("waterloo")!;
    expect(inherited).toMatchObject({ inherited: true, sourceEntityId: "abba" });
    expect(Array.from(inherited.values)).toEqual(Array.from(own.values));
    expect(m.topTerms("waterloo")!.inherited).toBe(true);
    // The inherited vector is the artist's own, so the artist comes first, then its neighbours;
    // without query expansion its score is the plain cosine, 1.
    expect(m.similar("waterloo", { n: 2 }).map((s) => s.entityId)).toEqual(["abba", "roxette"]);
    const plain = new CulturalModel({ artistOf, expansionNeighbours: 0 });
    await plain.addDocuments(docs);
    expect(plain.similar("waterloo", { n: 2 }).map((s) => [s.entityId, s.score.toFixed(4)])).toEqual([
      ["abba", "1.0000"],
      ["roxette", expect.any(String)],
    ]);
    expect(m.vector("dancing-queen")!.inherited).toBe(false);
    expect(m.vector("orphan")).toBeNull();
    expect(m.topTerms("unknown")).toBeNull();
  });

  it("saves and loads to the same terms, vectors and dense space", async () => {
    const m = new CulturalModel({ minDf: 1, artistOf: (t) => (t === "waterloo" ? "abba" : undefined) });
    await m.addDocuments(docs);
    m.fitDense({ dims: 3, seed: 5 });
    const loaded = CulturalModel.load(m.save(), { artistOf: (t) => (t === "waterloo" ? "abba" : undefined) });
    const viaJson = CulturalModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    for (const copy of [loaded, viaJson]) {
      expect(termsOf(copy, "abba")).toEqual(termsOf(m, "abba"));
      expect(Array.from(copy.denseVector("slayer")!.vector)).toEqual(Array.from(m.denseVector("slayer")!.vector));
      expect(copy.similar("abba", { space: "hybrid" })).toEqual(m.similar("abba", { space: "hybrid" }));
    }
    expect(loaded.vector("waterloo")!.inherited).toBe(true);
    expect(() => CulturalModel.fromJSON({ format: "other" } as never)).toThrow(/expected format deepcuts-cultural-model/);
  });

  it("query expansion adds the nearest neighbours' cosines and keeps scores at most 1", async () => {
    const expanded = new CulturalModel({ minDf: 1, expansionNeighbours: 1, expansionWeight: 1, secondOrderWeight: 0 });
    const plain = new CulturalModel({ minDf: 1, expansionNeighbours: 0, secondOrderWeight: 0 });
    await expanded.addDocuments(docs);
    await plain.addDocuments(docs);
    const self = expanded.culturalMatrix().entityIds.indexOf("abba");
    const cos = plain.scoresFor("abba")!;
    // abba's one nearest neighbour (by plain cosine) is roxette: each score is half abba's cosine, half roxette's.
    const nearest = plain.similar("abba", { n: 1 })[0].entityId;
    expect(nearest).toBe("roxette");
    const theirs = plain.scoresFor("roxette")!;
    const scores = expanded.scoresFor("abba")!;
    for (let e = 0; e < scores.length; e++) expect(scores[e]).toBeCloseTo((cos[e] + theirs[e]) / 2, 5);
    expect(scores[self]).toBeLessThanOrEqual(1);
    expect(() => new CulturalModel({ expansionNeighbours: -1 })).toThrow("expansionNeighbours must be an integer in 0..100, got -1");
  });

  it("second order: blends each score with the cosine of the two entities' centred similarity profiles", async () => {
    const w = 0.4;
    const second = new CulturalModel({ minDf: 1, secondOrderWeight: w });
    const first = new CulturalModel({ minDf: 1, secondOrderWeight: 0 });
    await second.addDocuments(docs);
    await first.addDocuments(docs);
    const ids = first.culturalMatrix().entityIds;
    // Profiles by hand: each entity's first-order scores, its own set to 0, centred, unit length.
    const profile = (id: string) => {
      const p = Array.from(first.scoresFor(id)!);
      p[ids.indexOf(id)] = 0;
      const mean = p.reduce((a, b) => a + b, 0) / p.length;
      const centred = p.map((v) => v - mean);
      const norm = Math.sqrt(centred.reduce((a, b) => a + b * b, 0));
      return centred.map((v) => v / norm);
    };
    const q = profile("abba");
    const plain = first.scoresFor("abba")!;
    const blended = second.scoresFor("abba")!;
    ids.forEach((id, e) => {
      const cos = profile(id).reduce((a, v, j) => a + v * q[j], 0);
      expect(blended[e]).toBeCloseTo((1 - w) * plain[e] + w * cos, 5);
    });
    // A change of the vectors drops the profiles: the next query sees the new documents.
    await second.addDocuments([{ entityId: "abba", kind: "artist", text: "swedish disco harmonies and pop melodies" }]);
    await first.addDocuments([{ entityId: "abba", kind: "artist", text: "swedish disco harmonies and pop melodies" }]);
    const again = second.scoresFor("roxette")!;
    const r = profile("roxette");
    ids.forEach((id, e) => expect(again[e]).toBeCloseTo((1 - w) * first.scoresFor("roxette")![e] + w * profile(id).reduce((a, v, j) => a + v * r[j], 0), 5));
    expect(() => new CulturalModel({ secondOrderWeight: 1.5 })).toThrow("secondOrderWeight must be in [0, 1], got 1.5");
  });

  it("loads a model saved before idf, expansion and centring were options with the behaviour it was saved with", async () => {
    const m = new CulturalModel({ minDf: 1, idf: "smooth", expansionNeighbours: 0, secondOrderWeight: 0 });
    await m.addDocuments(docs);
    m.fitDense({ dims: 3, seed: 5 });
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    delete json.options.idf;
    delete json.options.expansionNeighbours;
    delete json.options.expansionWeight;
    delete json.options.secondOrderWeight;
    delete json.dense.center;
    const old = CulturalModel.fromJSON(json);
    expect(old.options).toMatchObject({ idf: "smooth", expansionNeighbours: 0, secondOrderWeight: 0 });
    expect(Array.from(old.denseSpace!.center)).toEqual([0, 0, 0]);
    expect(old.similar("abba").map((s) => s.entityId)).toEqual(m.similar("abba").map((s) => s.entityId));
  });

  it("dense vectors are unit length and need fitDense first", async () => {
    const m = new CulturalModel({ minDf: 1 });
    await m.addDocuments(docs);
    expect(() => m.denseVector("abba")).toThrow(/not fitted/);
    const { dims } = m.fitDense({ dims: 4 });
    expect(dims).toBe(4);
    const v = m.denseVector("abba")!.vector;
    expect(v.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 5);
    expect(m.similar("slayer", { n: 1, space: "dense" })[0].entityId).toBe("metallica");
  });

  it("rejects bad input with what and how much", async () => {
    expect(() => new CulturalModel({ minDf: 0 })).toThrow("minDf must be an integer >= 1, got 0");
    const m = new CulturalModel();
    await expect(m.addDocuments([{ entityId: "x", kind: "album" as never, text: "" }])).rejects.toThrow(
      'document 0 kind must be "artist" or "track", got album',
    );
    await m.addDocuments([{ entityId: "x", kind: "artist", text: "a" }]);
    await expect(m.addDocuments([{ entityId: "x", kind: "track", text: "b" }])).rejects.toThrow(
      "entity 'x' is already a artist, got a document for it as a track",
    );
    expect(() => m.similar("x", { n: 0 })).toThrow("n must be an integer >= 1, got 0");
  });
});
