import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesToFloat32 } from "@deepcuts/db";
import { DEFAULT_LSA_DIMS } from "@deepcuts/models/text";
import { insertDocuments, upsertArtists, upsertTracks, type DocumentRow } from "@deepcuts/engine/ingest.ts";
import { trainModels } from "@deepcuts/engine/training/train.ts";
import { trainText } from "@deepcuts/engine/training/text.ts";
import { artistTerms, resolveArtist } from "@deepcuts/engine/text-terms.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();
const quietBar = () => ({ callback: () => {}, done: () => {} });

const BIOS: Record<string, string[]> = {
  "Island Roots": [
    "Island Roots play roots reggae from Kingston, Jamaica: heavy bass lines, offbeat guitar skank and conscious lyrics.",
    "A classic roots reggae band. The dub versions stretch the bass lines into echo and the lyrics stay conscious.",
  ],
  "Kingston Lions": [
    "Kingston Lions are a roots reggae group from Jamaica with conscious lyrics and deep bass lines.",
    "Their dub plates put the offbeat guitar skank through tape echo; roots reggae at its most patient.",
  ],
  "Glitter Queens": [
    "Glitter Queens are a Swedish pop group of the disco era: perky choruses, string sections and four on the floor.",
    "Disco era hits with perky choruses and lush string sections, made for the dance floor.",
  ],
  "Mirror Ball": [
    "Mirror Ball make disco era dance floor music with string sections and a four on the floor beat.",
    "Lush string sections and perky choruses: disco era pop for the dance floor.",
  ],
};

describe.each<Target>(["embedded", "postgres"])("text model trained from the database on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let t: TestDatabase;
  let artists: Map<string, number>;
  let tracks: Map<string, number>;

  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    const query = t.db.query.bind(t.db);
    artists = await upsertArtists(
      query,
      Object.keys(BIOS).map((name) => ({ externalKey: name, name })),
    );
    tracks = await upsertTracks(query, [
      { externalKey: "reviewed", title: "Skank Dub", artistId: artists.get("Island Roots")!, durationMs: 200_000 },
      { externalKey: "silent", title: "No Words", artistId: artists.get("Island Roots")!, durationMs: 180_000 },
      { externalKey: "orphan", title: "Nobody Wrote", artistId: artists.get("Mirror Ball")!, durationMs: 180_000 },
    ]);
    const docs: DocumentRow[] = Object.entries(BIOS).flatMap(([name, texts]) =>
      texts.map((text, i) => ({ externalKey: `${name}-${i}`, entityKind: "ARTIST" as const, artistId: artists.get(name)!, source: "BIO" as const, text })),
    );
    docs.push({
      externalKey: "review-1",
      entityKind: "TRACK",
      trackId: tracks.get("reviewed")!,
      source: "REVIEW",
      text: "Skank Dub is a roots reggae cut: offbeat guitar skank over heavy bass lines, then a dub version full of echo.",
    });
    await insertDocuments(query, docs);
  });

  afterAll(async () => {
    await t?.drop();
  });

  it.skipIf(skip)("stores dense vectors, inherited ones marked, and top terms per kind as the active version", async () => {
    const { id, metrics } = await trainText(t.db);
    const version = await t.db.prisma.modelVersion.findUniqueOrThrow({ where: { id } });
    expect(version).toMatchObject({ kind: "TEXT", status: "READY", isActive: true });
    // The space the text evaluation measures (docs/text.md); four artists cap what is fitted.
    expect(version.params).toMatchObject({ dims: DEFAULT_LSA_DIMS });
    expect(metrics).toMatchObject({ documents: 9, newDocuments: 9, artists: 4, tracksWithText: 1, tracksInheriting: 2, incrementalFrom: null });

    const vectors = await t.db.query<{ entity_kind: string; entity_id: number; inherited: boolean; data: Uint8Array }>(
      `SELECT entity_kind::text AS entity_kind, entity_id, inherited, data FROM vectors WHERE model_version_id = $1`,
      [id],
    );
    expect(vectors.filter((v) => v.entity_kind === "ARTIST")).toHaveLength(4);
    const of = (kind: string, entity: number) => vectors.find((v) => v.entity_kind === kind && v.entity_id === entity)!;
    expect(of("TRACK", tracks.get("reviewed")!).inherited).toBe(false);
    const silent = of("TRACK", tracks.get("silent")!);
    expect(silent.inherited).toBe(true);
    // An inherited vector is its artist's, exactly.
    expect(Array.from(bytesToFloat32(silent.data))).toEqual(Array.from(bytesToFloat32(of("ARTIST", artists.get("Island Roots")!).data)));
    expect(of("TRACK", tracks.get("orphan")!).inherited).toBe(true);

    const terms = await artistTerms(t.db, await resolveArtist(t.db, "island roots"));
    expect(terms.terms.N2.map((x) => x.term)).toContain("roots reggae");
    expect(terms.terms.ADJ.length).toBeGreaterThan(0);
    for (const kind of ["N2", "NP", "ADJ"] as const) {
      const sum = terms.terms[kind].reduce((a, x) => a + x.weight, 0);
      expect(sum).toBeLessThanOrEqual(1 + 1e-6);
      expect(terms.terms[kind].every((x, i, all) => i === 0 || all[i - 1].weight >= x.weight)).toBe(true);
    }
    // Described most alike: the other reggae band, not the disco ones, for a shared reason.
    expect(terms.describedLike[0].artist.name).toBe("Kingston Lions");
    expect(terms.describedLike[0].sharedTerms.length).toBeGreaterThan(0);
  });

  it.skipIf(skip)("adds new documents incrementally and ends where a full rebuild ends", async () => {
    const before = await t.db.prisma.modelVersion.findFirstOrThrow({ where: { kind: "TEXT", isActive: true } });
    await insertDocuments(t.db.query.bind(t.db), [
      {
        externalKey: "late-news",
        entityKind: "ARTIST",
        artistId: artists.get("Glitter Queens")!,
        source: "BLOG",
        text: "Glitter Queens return with more Swedish pop: perky, bright and built for the dance floor.",
      },
    ]);
    const incremental = await trainText(t.db);
    expect(incremental.metrics).toMatchObject({ newDocuments: 1, documents: 10, incrementalFrom: before.id });
    const rebuilt = await trainText(t.db, { rebuild: true });
    expect(rebuilt.metrics).toMatchObject({ newDocuments: 10, documents: 10, incrementalFrom: null });
    const termsOf = (version: number) =>
      t.db.query<{ entity_id: number; term_kind: string; term: string; weight: number }>(
        `SELECT entity_id, term_kind::text AS term_kind, term, weight FROM top_terms WHERE model_version_id = $1 ORDER BY entity_kind, entity_id, term_kind, term`,
        [version],
      );
    const a = await termsOf(incremental.id);
    const b = await termsOf(rebuilt.id);
    expect(a.length).toBe(b.length);
    a.forEach((row, i) => {
      expect(row.term).toBe(b[i].term);
      expect(row.weight).toBeCloseTo(b[i].weight, 6);
    });
    const glitter = a.filter((r) => r.entity_id === artists.get("Glitter Queens")! && r.term_kind === "N2").map((r) => r.term);
    expect(glitter).toContain("swedish pop");
  });

  it.skipIf(skip)("names what is wrong: unknown or ambiguous artists, no documents", async () => {
    await expect(resolveArtist(t.db, "Nobody")).rejects.toThrow("no artist matches 'Nobody'");
    await expect(resolveArtist(t.db, "o")).rejects.toThrow(/matches several artists: Island Roots \(\d+\), Kingston Lions/);
    expect((await resolveArtist(t.db, String(artists.get("Mirror Ball")))).name).toBe("Mirror Ball");
    const empty = await createTestDatabase(target);
    try {
      await expect(trainText(empty.db)).rejects.toThrow(/no documents/);
      const skipped = await trainModels(empty.db, ["text"], { threads: 1, progress: quietBar, skipWithoutData: true });
      expect(skipped).toEqual([{ model: "text", versionId: null, skipped: "no documents about artists or tracks" }]);
      expect(await empty.db.prisma.modelVersion.count()).toBe(0);
    } finally {
      await empty.drop();
    }
  });
});
