import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertArtists } from "@deepcuts/engine/ingest.ts";
import { coMentionNeighbours } from "@deepcuts/engine/crawl/co-mention.ts";
import { createTestDatabase, postgresUnavailable, type Target, type TestDatabase } from "../support/databases.ts";

const skipPostgres = await postgresUnavailable();

// Six articles; X and Y share three, X and Z one, X and W one.
const ARTICLES = [["X", "Y"], ["X", "Y"], ["X", "Z"], ["Y", "Z"], ["W"], ["X", "Y", "W"]];

describe.each<Target>(["embedded", "postgres"])("co-mention similarity on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let t: TestDatabase;
  let ids: Map<string, number>;

  beforeAll(async () => {
    if (skip) return;
    t = await createTestDatabase(target);
    ids = await upsertArtists(
      t.db.query,
      ["X", "Y", "Z", "W"].map((name) => ({ externalKey: name, name })),
    );
    const [{ id: site }] = await t.db.query<{ id: number }>(`INSERT INTO crawl_sites (url, name) VALUES ('http://example.org/feed', 'e') RETURNING id`);
    for (const [i, names] of ARTICLES.entries()) {
      const [{ id }] = await t.db.query<{ id: number }>(
        `INSERT INTO crawl_articles (site_id, url, source, language, text_hash, text) VALUES ($1, $2, 'BLOG', 'eng', $3, 'text') RETURNING id`,
        [site, `http://example.org/${i}`, `hash-${i}`],
      );
      for (const name of names) await t.db.query(`INSERT INTO article_mentions (article_id, artist_id, count) VALUES ($1, $2, 1)`, [id, ids.get(name)]);
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  it.skipIf(skip)("ranks by normalised PMI over articles, with explanations", async () => {
    const [y] = await coMentionNeighbours(t.db, ids.get("X")!);
    // P(X,Y) = 3/6, P(X) = P(Y) = 4/6: PMI = ln(1.125), NPMI = ln(1.125) / ln 2.
    expect(y.artist.name).toBe("Y");
    expect(y.articles).toBe(3);
    expect(y.pmi).toBeCloseTo(Math.log(1.125), 10);
    expect(y.score).toBeCloseTo(Math.log(1.125) / Math.log(2), 10);
    expect(y.explanation).toBe("written about with Y in 3 articles");
    expect(await coMentionNeighbours(t.db, ids.get("X")!)).toHaveLength(1);
    const all = await coMentionNeighbours(t.db, ids.get("X")!, { minArticles: 1 });
    // Z and W: P = 1/6 with P(Z) = P(W) = 2/6: PMI ln(0.75) < 0, NPMI = ln(0.75) / ln 6.
    expect(all.map((n) => n.artist.name)).toEqual(["Y", "Z", "W"]);
    expect(all[1].score).toBeCloseTo(Math.log(0.75) / Math.log(6), 10);
    expect(all[2].explanation).toBe("written about with W in 1 article");
  });

  it.skipIf(skip)("answers empty for an artist never mentioned and refuses an unknown one", async () => {
    const [{ id }] = await t.db.query<{ id: number }>(`INSERT INTO artists (external_key, name) VALUES ('lonely', 'Lonely') RETURNING id`);
    expect(await coMentionNeighbours(t.db, id)).toEqual([]);
    await expect(coMentionNeighbours(t.db, 999_999)).rejects.toThrow("artist 999999 not found");
  });
});
