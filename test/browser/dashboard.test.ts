import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CancelledError } from "@deepcuts/models/core";
import { getJob, startJob } from "@deepcuts/engine/curation/jobs.ts";
import { startSimulation } from "@deepcuts/engine/outcomes/jobs.ts";
import { TRAINABLE } from "@deepcuts/engine/training/train.ts";
import { generateDuePlaylists } from "@deepcuts/engine/weekly/generate.ts";
import { startDashboard } from "../../apps/api/src/runtime/dashboard.ts";
import { chromiumMissing, launchChromium, screenshot } from "./browser.ts";
import { freePort } from "../support/ports.ts";
import { startDemoStack, type DemoStack } from "./demo-stack.ts";

const title = chromiumMissing ? `dashboard in Chromium (skipped: ${chromiumMissing})` : "dashboard in Chromium";

describe.skipIf(chromiumMissing !== null)(title, () => {
  let stack: DemoStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  /** Asks the API directly, with the curator key: the answer the dashboard must agree with. */
  async function api<T>(query: string): Promise<T> {
    const response = await fetch(stack.api.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${stack.curatorKey}` },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data: T; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(body.errors[0].message);
    return body.data;
  }

  /** axe-core run inside the page: the serious and critical violations, each with where it is. */
  async function accessibilityProblems(target: Page): Promise<string[]> {
    await target.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") });
    const violations = await target.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (c: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }>;
          };
        }
      ).axe;
      return (await axe.run(document, { resultTypes: ["violations"] })).violations;
    });
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map(
        (v) =>
          `${v.impact} ${v.id} (${v.help}): ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(" "))
            .join(", ")}`,
      );
  }

  /** Clicks a download button and returns the file's bytes. */
  async function download(target: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
    const [file] = await Promise.all([target.waitForEvent("download"), target.click(selector)]);
    return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
  }

  async function signIn(target: Page, key: string): Promise<void> {
    await target.goto(`${stack.dashboard.url}/sign-in`);
    await target.fill("#key", key);
    await Promise.all([target.waitForURL((url) => url.pathname === "/" || url.searchParams.has("error")), target.click("button[type=submit]")]);
  }

  beforeAll(async () => {
    stack = await startDemoStack();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("sends a visitor without a session to sign in", async () => {
    await page.goto(`${stack.dashboard.url}/catalogue`);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
  });

  it("refuses a listener key with a clear message", async () => {
    await signIn(page, stack.listenerKey);
    expect(new URL(page.url()).searchParams.get("error")).toBe("listener");
    await expect.poll(() => page.textContent("[data-testid=sign-in-error]")).toContain("This is a listener key");
    expect((await context.cookies()).find((c) => c.name === "deepcuts_session")).toBeUndefined();
    await screenshot(page, "sign-in-listener-refused");
  });

  it("refuses a key the API does not know", async () => {
    await signIn(page, "dc_curator_not-a-real-key");
    expect(new URL(page.url()).searchParams.get("error")).toBe("unknown");
    expect(await page.textContent("[data-testid=sign-in-error]")).toContain("does not know this key");
  });

  it("signs a curator in, keeps the key in an HTTP-only cookie, and shows the overview counts", async () => {
    await signIn(page, stack.curatorKey);
    expect(new URL(page.url()).pathname).toBe("/");
    const session = (await context.cookies()).find((c) => c.name === "deepcuts_session");
    expect(session?.httpOnly).toBe(true);
    expect(await page.evaluate(() => document.cookie)).not.toContain(stack.curatorKey.slice(0, 12));
    const [{ events }] = await stack.database.db.query<{ events: number }>(`SELECT count(*)::int AS events FROM listening_events`);
    expect(await page.textContent("[data-testid=count-listeners] .card-value")).toBe(String(stack.world.users.length));
    expect(await page.textContent("[data-testid=count-tracks] .card-value")).toBe(String(stack.world.tracks.length));
    expect(await page.textContent("[data-testid=count-events] .card-value")).toBe(events.toLocaleString("en-US"));
    const active = await page.textContent("[data-testid=active-models]");
    expect(active).toContain("ALS");
    expect(active).toContain("POPULARITY");
    // Metrics as the API holds them, to 3 significant digits; every version here finished this week.
    const { modelVersions } = await api<{
      modelVersions: { edges: { node: { id: number; kind: string; isActive: boolean; metrics: Record<string, number> } }[] };
    }>(`{ modelVersions(first: 100) { edges { node { id: databaseId kind isActive metrics } } } }`);
    const als = modelVersions.edges.map((e) => e.node).find((v) => v.kind === "ALS" && v.isActive)!;
    const shown = await page.$$eval("[data-testid=active-models] tbody[data-kind=ALS] [data-metric-value]", (cells) =>
      cells.map((c) => [c.getAttribute("data-metric-value"), c.textContent]),
    );
    expect(shown.map(([name]) => name)).toEqual(["recall@20", "ndcg@20", "coverage"]);
    const sig3 = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
    const pct = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
    for (const [name, text] of shown) expect(text).toBe(name === "coverage" ? pct.format(als.metrics[name]) : sig3.format(als.metrics[name!]));
    expect(
      await page.$$eval("[data-testid=this-week] li[data-version-id]", (li) => li.map((l) => Number(l.getAttribute("data-version-id"))).sort((a, b) => a - b)),
    ).toEqual(modelVersions.edges.map((e) => e.node.id).sort((a, b) => a - b));
    // One version per kind: no trend to draw, so no sparkline.
    expect(await page.$$("[data-testid=active-models] svg.sparkline")).toHaveLength(0);
    expect(await page.textContent("body")).not.toMatch(/\d\.\d{4}\b/);
    await screenshot(page, "overview");
  });

  it("says what this week's playlists did: playlists made, catalogue coverage, new artists and cold-start tracks, as the API counts them", async () => {
    type Week = {
      weekStart: string;
      playlists: number;
      coverage: number;
      newArtistShare: number;
      coldStartTracks: number;
      tracksPlaced: number;
      catalogueTracks: number;
    };
    const { weeklySummaries } = await api<{ weeklySummaries: Week[] }>(
      `{ weeklySummaries(weeks: 8) { weekStart playlists coverage newArtistShare coldStartTracks tracksPlaced catalogueTracks } }`,
    );
    const [week] = weeklySummaries;
    await page.goto(`${stack.dashboard.url}/`);
    const table = page.locator("[data-testid=week-figures]");
    expect(await table.getAttribute("data-week")).toBe(week.weekStart);
    const [{ playlists }] = await stack.database.db.query<{ playlists: number }>(
      `SELECT count(*)::int AS playlists FROM weekly_playlists WHERE week_start = $1::date`,
      [week.weekStart],
    );
    expect(week.playlists).toBe(playlists);
    for (const key of ["playlists", "coverage", "newArtistShare", "coldStartTracks"] as const) {
      expect(Number(await table.locator(`tr[data-figure=${key}]`).getAttribute("data-value")), key).toBe(week[key]);
    }
    const pct = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
    expect(await table.locator("tr[data-figure=coverage] td.num").first().textContent()).toBe(
      `${pct.format(week.coverage)} (${week.tracksPlaced} of ${week.catalogueTracks} tracks)`,
    );
    expect(await table.locator("tr[data-figure=newArtistShare] td.num").first().textContent()).toBe(pct.format(week.newArtistShare));
    // One week of playlists: no change to show and no trend to draw.
    expect(weeklySummaries).toHaveLength(1);
    expect(await table.locator("svg.sparkline").count()).toBe(0);
    expect(await table.textContent()).toContain("first week");
  });

  it("lists the catalogue 25 tracks a page, pages forward, and searches by title", async () => {
    await page.goto(`${stack.dashboard.url}/catalogue`);
    expect(await page.textContent("[data-testid=track-count]")).toContain(`${stack.world.tracks.length} tracks in the catalogue`);
    const firstPage = await page.$$eval("[data-testid=tracks] tbody tr td:first-child", (cells) => cells.map((c) => c.textContent));
    expect(firstPage).toHaveLength(25);
    await screenshot(page, "catalogue");
    await Promise.all([page.waitForURL(/after=/), page.click("text=Next page")]);
    const secondPage = await page.$$eval("[data-testid=tracks] tbody tr td:first-child", (cells) => cells.map((c) => c.textContent));
    expect(secondPage).toHaveLength(25);
    expect(secondPage).not.toEqual(firstPage);
    const titles = new Set(stack.world.tracks.map((t) => t.title));
    expect([...firstPage, ...secondPage].every((t) => titles.has(t ?? ""))).toBe(true);

    const wanted = stack.world.tracks[7];
    await page.fill("input[name=q]", wanted.title);
    await Promise.all([page.waitForURL(/q=/), page.press("input[name=q]", "Enter")]);
    const found = await page.$$eval("[data-testid=tracks] tbody tr td:first-child", (cells) => cells.map((c) => c.textContent ?? ""));
    expect(found).toContain(wanted.title);
    // The API matches title or artist name, case-insensitively: count the same in the world.
    const needle = wanted.title.toLowerCase();
    const artistName = new Map(stack.world.artists.map((a) => [a.key, a.name.toLowerCase()]));
    const expected = stack.world.tracks.filter((t) => t.title.toLowerCase().includes(needle) || artistName.get(t.artistKey)!.includes(needle)).length;
    expect(await page.textContent("[data-testid=track-count]")).toContain(`${expected} ${expected === 1 ? "track" : "tracks"} matching`);
    expect(found).toHaveLength(Math.min(expected, 25));
    await screenshot(page, "catalogue-search");
  });

  it("forwards the browser's GraphQL calls to the API with the session key, and refuses them without one", async () => {
    const query = JSON.stringify({ query: "{ tracks(first: 1) { totalCount } }" });
    const signedIn = await page.evaluate(async (body) => {
      const r = await fetch("/api/graphql", { method: "POST", headers: { "content-type": "application/json" }, body });
      return { status: r.status, body: await r.json() };
    }, query);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.data.tracks.totalCount).toBe(stack.world.tracks.length);
    const anonymous = await fetch(`${stack.dashboard.url}/api/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: query });
    expect(anonymous.status).toBe(401);
  });

  it("opens a track's neighbours from the catalogue, the same ones the API gives", async () => {
    await page.goto(`${stack.dashboard.url}/catalogue`);
    const link = page.locator("[data-testid=tracks] tbody tr:nth-child(4) a");
    const title = await link.textContent();
    await Promise.all([page.waitForURL(/\/vectors\?track=/), link.click()]);
    const trackId = Number(new URL(page.url()).searchParams.get("track"));
    expect(await page.textContent("[data-testid=track-detail] h2")).toContain(title);
    const shown = await page.$$eval("[data-testid=neighbours-COLLABORATIVE] li a", (as) => as.map((a) => a.textContent));
    const { similarTracks } = await api<{
      similarTracks: { track: { id: number; title: string }; scores: { collaborative: number | null; text: number | null; audio: number | null } }[];
    }>(`{ similarTracks(trackId: ${trackId}, model: COLLABORATIVE, first: 10) { track { id: databaseId title } scores { collaborative text audio } } }`);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual(similarTracks.map((s) => s.track.title));
    // Each neighbour shows its score under every model, "–" where a model has no vector for the pair.
    const columns = await page.$$eval("[data-testid=neighbours-COLLABORATIVE] [data-testid=model-scores]", (rows) =>
      rows.map((r) => Array.from(r.querySelectorAll("[data-model] .num"), (n) => n.textContent)),
    );
    const cell = (v: number | null) => (v === null ? "–" : v.toFixed(3));
    expect(columns).toEqual(similarTracks.map((s) => [cell(s.scores.collaborative), cell(s.scores.text), cell(s.scores.audio)]));
    expect(similarTracks.some((s) => s.track.id === trackId)).toBe(false);
    expect(Number(await page.getAttribute("[data-testid=projection]", "data-points"))).toBeGreaterThan(0);
    await screenshot(page, "vectors-track");
  });

  it("colours the vector map by cold start, tag, tempo and key, with legends that count the API's points", async () => {
    // A few analysed tracks on the map with known tempos and keys (the demo stack does not analyse audio).
    const onMap = await api<{ vectorProjection: { points: { id: number }[] } }>(
      `{ vectorProjection(model: COLLABORATIVE, method: PCA, sample: 1000) { points { id } } }`,
    );
    await stack.database.db.query(
      `INSERT INTO audio_analyses (track_id, status, tempo, key, mode)
       SELECT id, 'OK', 80 + 10 * (n - 1), (ARRAY['A', 'C', 'E'])[1 + n % 3], 'minor' FROM unnest($1::int[]) WITH ORDINALITY AS t(id, n)
       ON CONFLICT (track_id) DO UPDATE SET status = 'OK', tempo = excluded.tempo, key = excluded.key, mode = excluded.mode`,
      [onMap.vectorProjection.points.slice(0, 6).map((p) => p.id)],
    );
    type Point = { coldStart: boolean; tempo: number | null; key: string | null; mode: string | null; topTag: string | null };
    const { vectorProjection } = await api<{ vectorProjection: { points: Point[] } }>(
      `{ vectorProjection(model: COLLABORATIVE, method: PCA, sample: 1000) { points { coldStart tempo key mode topTag } } }`,
    );
    const points = vectorProjection.points;
    const legendOf = async (colour: string) => {
      await page.goto(`${stack.dashboard.url}/vectors?model=COLLABORATIVE&method=PCA&colour=${colour}`);
      await page.locator("[data-testid=map-legend]").waitFor();
      expect(await page.getAttribute("[data-colour-by]", "data-colour-by")).toBe(colour);
      const legend = await page.$$eval("[data-testid=map-legend] [data-legend-label]", (es) =>
        es.map((e) => ({ label: e.getAttribute("data-legend-label")!, count: Number(e.getAttribute("data-count")), colour: e.getAttribute("data-colour")! })),
      );
      // The canvas reports how many points it draws in each colour: every point is counted once in
      // the legend, and as many points wear each colour as its entry says.
      expect(Number(await page.getAttribute("[data-testid=projection]", "data-points"))).toBe(points.length);
      const drawn = JSON.parse((await page.getAttribute("[data-testid=projection]", "data-colour-counts"))!) as Record<string, number>;
      expect(Object.values(drawn).reduce((a, b) => a + b, 0)).toBe(points.length);
      for (const entry of legend) expect(drawn[entry.colour] ?? 0, entry.label).toBe(entry.count);
      return legend;
    };
    const cold = points.filter((p) => p.coldStart).length;
    expect((await legendOf("coldStart")).map((e) => [e.label, e.count])).toEqual([
      ["listened to", points.length - cold],
      ["cold start (no listens)", cold],
    ]);
    expect(await page.$$eval("[data-colour-option]", (as) => as.map((a) => a.getAttribute("data-colour-option")))).toEqual([
      "genre",
      "tag",
      "tempo",
      "key",
      "coldStart",
    ]);
    await screenshot(page, "vectors-cold-start");

    const tags = new Map<string, number>();
    for (const p of points) if (p.topTag) tags.set(p.topTag, (tags.get(p.topTag) ?? 0) + 1);
    const tagLegend = await legendOf("tag");
    const ranked = [...tags].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    expect(tagLegend.slice(0, Math.min(10, ranked.length)).map((e) => [e.label, e.count])).toEqual(ranked.slice(0, 10));
    expect(tagLegend.length).toBeLessThanOrEqual(12); // ten tags, "other", "no terms"
    await screenshot(page, "vectors-tag");

    const tempos = points.map((p) => p.tempo).filter((t): t is number => t !== null);
    expect(tempos.length).toBeGreaterThanOrEqual(6);
    const tempoLegend = await legendOf("tempo");
    expect(Number(await page.getAttribute("[data-testid=map-scale]", "data-min"))).toBe(Math.min(...tempos));
    expect(Number(await page.getAttribute("[data-testid=map-scale]", "data-max"))).toBe(Math.max(...tempos));
    expect(tempoLegend).toEqual(
      points.length > tempos.length ? [expect.objectContaining({ label: "not analysed", count: points.length - tempos.length })] : [],
    );
    await screenshot(page, "vectors-tempo");

    const keyLegend = await legendOf("key");
    expect(keyLegend.filter((e) => e.label.endsWith("minor")).reduce((n, e) => n + e.count, 0)).toBe(points.filter((p) => p.mode === "minor").length);
  });

  it("explains a model that is not trained yet", async () => {
    await page.goto(`${stack.dashboard.url}/vectors?model=AUDIO`);
    expect(await page.textContent("[data-testid=model-not-ready] h2")).toBe("A model is not trained yet");
  });

  it("walks the vector map with the keyboard from one tab stop, finds a track by name, and downloads what it shows", async () => {
    type Point = { id: number; label: string; x: number; y: number };
    const { vectorProjection } = await api<{ vectorProjection: { points: Point[] } }>(
      `{ vectorProjection(model: COLLABORATIVE, method: PCA, sample: 1000) { points { id label x y } } }`,
    );
    const points = vectorProjection.points;
    await page.goto(`${stack.dashboard.url}/vectors?model=COLLABORATIVE&method=PCA&colour=genre`);
    const map = page.locator("[data-testid=projection]");
    await map.waitFor();
    // One tab stop for the whole map: from the search box, Tab lands on the canvas, not on a point.
    await page.focus("[data-testid=map-search]");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("projection");
    expect(await page.$$("[data-testid=projection] a, .map a[data-track-id]")).toHaveLength(0);
    await page.keyboard.press("ArrowRight");
    const first = Number(await map.getAttribute("data-focused-id"));
    expect(points.some((p) => p.id === first)).toBe(true);
    await page.keyboard.press("ArrowRight");
    const second = Number(await map.getAttribute("data-focused-id"));
    expect(second).not.toBe(first);
    // ArrowRight moves right on the map (larger x), and the status line names the focused track.
    const at = (id: number) => points.find((p) => p.id === id)!;
    expect(at(second).x).toBeGreaterThan(at(first).x);
    expect(await page.textContent("[data-testid=map-status]")).toContain(at(second).label);
    await page.keyboard.press("ArrowLeft");
    expect(Number(await map.getAttribute("data-focused-id"))).not.toBe(second);
    await page.keyboard.press("ArrowRight");
    const chosen = Number(await map.getAttribute("data-focused-id"));
    await Promise.all([page.waitForURL((u) => u.searchParams.get("track") === String(chosen)), page.keyboard.press("Enter")]);
    await page.locator("[data-testid=track-detail]").waitFor();
    expect(await page.textContent("[data-testid=track-detail] h2")).toContain(at(chosen).label.split(" - ").pop()!);

    const needle = points[3].label.slice(-5).trim().toLowerCase();
    await page.fill("[data-testid=map-search]", needle);
    const expected = points.filter((p) => p.label.toLowerCase().includes(needle)).length;
    await expect.poll(async () => Number(await page.getAttribute("[data-testid=map-matches]", "data-count"))).toBe(expected);
    await screenshot(page, "vectors-search");
    await page.press("[data-testid=map-search]", "Enter");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("projection");
    const found = Number(await map.getAttribute("data-focused-id"));
    expect(at(found).label.toLowerCase()).toContain(needle);

    const tsv = (await download(page, "[data-testid=download-tsv]")).bytes.toString("utf8").trimEnd().split("\n");
    expect(tsv[0]).toBe("id\tlabel\tx\ty\tvalue\tcolour");
    expect(tsv.slice(1).map((row) => Number(row.split("\t")[0]))).toEqual(points.map((p) => p.id));
    expect(tsv.slice(1).map((row) => Number(row.split("\t")[2]))).toEqual(points.map((p) => p.x));
    const gexf = (await download(page, "[data-testid=download-gexf]")).bytes.toString("utf8");
    expect(gexf.match(/<node /g)).toHaveLength(points.length);
    expect(gexf).toContain(`<node id="${points[0].id}"`);
    const png = await download(page, "[data-testid=download-png]");
    expect(png.name).toMatch(/\.png$/);
    expect(png.bytes.subarray(1, 4).toString("latin1")).toBe("PNG");

    // The server-side export of every stored vector, through the dashboard's route with the session's key.
    const stored = await download(page, "[data-testid=export-vectors-csv]");
    expect(stored.name).toMatch(/^als-track-vectors-v\d+\.csv$/);
    const storedRows = stored.bytes.toString("utf8").trimEnd().split("\n");
    expect(storedRows[0]).toMatch(/^entity_id,external_key,name,artist,genre,plays,inherited,f0,/);
    expect(storedRows.length - 1).toBeGreaterThanOrEqual(points.length);
    const npy = await download(page, "[data-testid=export-vectors-npy]");
    expect(npy.bytes.subarray(0, 6)).toEqual(Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]));
    expect(npy.bytes.toString("latin1", 10, 80)).toContain(`'shape': (${storedRows.length - 1}, ${storedRows[0].split(",").length - 7})`);
    // The route adds the session's key and passes the API's refusals on; without a session it refuses itself.
    const refused = await page.request.get(`${stack.dashboard.url}/api/export/vectors?model=als&format=xlsx`);
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toMatch(/^export refused: format: must be one of npy, parquet, csv, tsv/);
    expect((await fetch(`${stack.dashboard.url}/api/export/vectors?model=als&format=csv`)).status).toBe(401);
  });

  it("evaluates the unsaved weights on the validation split beside the live preview, with the figures the API gives", async () => {
    type Metrics = { recall: number; coverage: number; artistDiversity: number; novelty: number };
    type Evaluation = { ready: boolean; candidate: Metrics; active: Metrics; listeners: number };
    const evaluate = async (weights: string) => {
      // "Not ready" while the API prepares the validation split: ask again, as the page does.
      for (let i = 0; ; i++) {
        const { evaluateBlend } = await api<{ evaluateBlend: Evaluation }>(
          `{ evaluateBlend(weights: ${weights}, constraints: { playlistSize: 30, artistCap: 2, knownArtistShare: 0.3, diversity: 0.2, excludeSkipped: true }) { ready candidate { recall coverage artistDiversity novelty } active { recall coverage artistDiversity novelty } listeners } }`,
        );
        if (evaluateBlend.ready || i === 60) return evaluateBlend;
        await new Promise((r) => setTimeout(r, 1000));
      }
    };
    const shown = async () =>
      Object.fromEntries(
        await page.$$eval("[data-testid=blend-evaluation] tr[data-measure]", (rows) =>
          rows.map((r) => [r.getAttribute("data-measure")!, [Number(r.getAttribute("data-active")), Number(r.getAttribute("data-candidate"))]]),
        ),
      ) as Record<string, [number, number]>;
    const panel = page.locator("[data-testid=blend-evaluation]");
    const settled = () =>
      expect
        .poll(async () => (await panel.getAttribute("aria-busy")) === "false" && (await panel.locator("tr[data-measure]").count()) === 4, { timeout: 30_000 })
        .toBe(true);

    await page.goto(`${stack.dashboard.url}/blend`);
    await settled();
    const atActive = await evaluate(`{ collaborative: 1, text: 0.3, audio: 0.3, coMention: 0.3, popularity: 0.1, novelty: 0 }`);
    for (const [measure, [active, candidate]] of Object.entries(await shown())) {
      expect(active, measure).toBe(atActive.active[measure as keyof Metrics]);
      expect(candidate, measure).toBe(active);
    }
    expect(await page.textContent("[data-testid=evaluation-note]")).toContain(`${atActive.listeners} listeners with held-out listening`);

    // Popularity alone: the panel shows what the change costs, as the API measures it.
    for (const name of ["collaborative", "text", "audio", "coMention"]) await page.locator(`[data-testid='weights.${name}']`).fill("0");
    await page.locator("[data-testid='weights.popularity']").fill("10");
    const popular = await evaluate(`{ collaborative: 0, text: 0, audio: 0, coMention: 0, popularity: 10, novelty: 0 }`);
    await expect.poll(async () => (await shown()).novelty?.[1], { timeout: 30_000 }).toBe(popular.candidate.novelty);
    await settled();
    const after = await shown();
    for (const measure of ["recall", "coverage", "artistDiversity", "novelty"] as const)
      expect(after[measure], measure).toEqual([popular.active[measure], popular.candidate[measure]]);
    expect(popular.candidate.novelty).toBeLessThan(popular.active.novelty);
    expect(await panel.locator("tr[data-measure=novelty] td.down").count()).toBe(1);
    await screenshot(page, "blend-evaluation");
  });

  it("moves a weight and sees the preview change, then saves and activates the configuration", async () => {
    const { activeBlendConfig: previous } = await api<{ activeBlendConfig: { constraints: { playlistSize: number; explorationSlots: number } } }>(
      `{ activeBlendConfig { constraints { playlistSize explorationSlots } } }`,
    );
    await page.goto(`${stack.dashboard.url}/blend`);
    // The exploration slots show the active version's, in the range the engine allows (0..playlistSize).
    const slots = page.locator("[data-testid='constraints.explorationSlots']");
    expect(await slots.inputValue()).toBe(String(previous.constraints.explorationSlots));
    expect([await slots.getAttribute("min"), await slots.getAttribute("max")]).toEqual(["0", String(previous.constraints.playlistSize)]);
    const newSlots = previous.constraints.explorationSlots === 5 ? 4 : 5;
    const preview = page.locator("[data-testid=preview]");
    await expect.poll(async () => (await preview.getAttribute("data-tracks")) ?? "", { timeout: 15_000 }).not.toBe("");
    const before = await preview.getAttribute("data-tracks");
    expect(await page.textContent("[data-testid=preview-diff]")).toContain("active configuration's settings");
    await page.locator("[data-testid='constraints.artistCap']").fill("1");
    await page.locator("[data-testid='weights.popularity']").fill("0");
    await slots.fill(String(newSlots));
    await expect.poll(async () => preview.getAttribute("data-tracks"), { timeout: 15_000 }).not.toBe(before);
    await expect.poll(async () => page.textContent("[data-testid=preview-diff]")).toMatch(/Against the active configuration: [1-9]\d* new/);
    await screenshot(page, "blend-moved");

    await page.fill("input[name=note]", "browser test: artist cap 1");
    await Promise.all([page.waitForURL(/saved=/), page.click("text=Save as new version")]);
    const version = Number(new URL(page.url()).searchParams.get("saved"));
    const row = page.locator(`[data-testid=blend-history] tr[data-version="${version}"]`);
    expect(await row.textContent()).toContain("browser test: artist cap 1");
    expect(await row.textContent()).toContain("browser test curator");
    await Promise.all([page.waitForURL(/activated=/), row.locator("button", { hasText: "Activate" }).click()]);
    expect(await page.locator(`[data-testid=blend-history] tr[data-version="${version}"]`).textContent()).toContain("active");
    const { activeBlendConfig } = await api<{ activeBlendConfig: { version: number; constraints: { artistCap: number; explorationSlots: number } } }>(
      `{ activeBlendConfig { version constraints { artistCap explorationSlots } } }`,
    );
    expect(activeBlendConfig).toEqual({ version, constraints: { artistCap: 1, explorationSlots: newSlots } });
    // The editor starts afresh from the version now active, not from the one active when the page was first drawn.
    expect(await page.locator("[data-testid='constraints.artistCap']").inputValue()).toBe("1");
    expect(await page.locator("[data-testid='constraints.explorationSlots']").inputValue()).toBe(String(newSlots));
    await screenshot(page, "blend-activated");
  });

  it("charts the simulated listeners' outcomes per blend version and source with their intervals, as the API stores them", async () => {
    // What npm start queues after the first weekly generation: simulated listeners answer, then the metrics.
    const simulation = await startSimulation(stack.database.db);
    await expect.poll(async () => (await getJob(stack.database.db, simulation.id)).status, { timeout: 120_000, interval: 500 }).toBe("SUCCEEDED");
    type Row = {
      weekStart: string;
      blendVersion: number;
      source: string;
      metric: string;
      value: number;
      lower: number | null;
      upper: number | null;
      n: number;
    };
    const { outcomeMetrics } = await api<{ outcomeMetrics: Row[] }>(
      `{ outcomeMetrics(weeks: 8) { weekStart blendVersion source metric value lower upper n } }`,
    );
    const latest = outcomeMetrics
      .map((r) => r.weekStart)
      .sort()
      .pop()!;
    const check = async (source: string) => {
      const table = page.locator("[data-testid=outcomes-latest]");
      expect(await table.getAttribute("data-source")).toBe(source);
      expect(await table.getAttribute("data-week")).toBe(latest);
      const expected = outcomeMetrics.filter((r) => r.weekStart === latest && r.source === source);
      expect(expected.length).toBeGreaterThan(0);
      for (const r of expected) {
        const cell = table.locator(`tr[data-version="${r.blendVersion}"] td[data-metric=${r.metric}]`);
        expect(Number(await cell.getAttribute("data-value")), `${source} ${r.metric}`).toBe(r.value);
        if (r.metric !== "HIDES") expect(Number(await cell.getAttribute("data-upper")), `${source} ${r.metric}`).toBe(r.upper);
      }
      // Every metric of the source is charted, one point per week measured, with its interval.
      const reach = expected.find((r) => r.metric === "REACH")!;
      const point = page.locator(`[data-testid=outcome-chart-REACH] g[data-series="blend v${reach.blendVersion}"] g[data-week="${latest}"]`);
      expect(Number(await point.getAttribute("data-lower"))).toBe(reach.lower);
      expect(Number(await point.getAttribute("data-upper"))).toBe(reach.upper);
    };
    await page.goto(`${stack.dashboard.url}/outcomes`);
    await check("all");
    const reach = outcomeMetrics.find((r) => r.weekStart === latest && r.source === "all" && r.metric === "REACH")!;
    // The simulated listeners stream some of what they are served.
    expect(reach.value).toBeGreaterThan(0);
    expect(reach.lower).toBeLessThanOrEqual(reach.value);
    const pct = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });
    expect(await page.textContent(`[data-testid=outcomes-latest] tr[data-version="${reach.blendVersion}"] td[data-metric=REACH]`)).toContain(
      pct.format(reach.value),
    );
    expect(await page.$$("[data-testid=outcome-charts] figure")).toHaveLength(outcomeMetrics.some((r) => r.metric === "CAME_BACK") ? 8 : 7);
    await screenshot(page, "outcomes");

    const source = outcomeMetrics.find((r) => r.weekStart === latest && r.source !== "all" && r.metric === "REACH")!.source;
    await Promise.all([page.waitForURL(new RegExp(`source=${source}`)), page.click(`[data-source-option=${source}]`)]);
    await check(source);
    const bySource = await page.$$eval("[data-testid=outcomes-by-source] tr[data-source]", (rows) => rows.map((r) => r.getAttribute("data-source")));
    expect(new Set(bySource)).toEqual(
      new Set(outcomeMetrics.filter((r) => r.weekStart === latest && r.source !== "all" && r.metric === "REACH").map((r) => r.source)),
    );

    await Promise.all([page.waitForURL(/started=/), page.click("[data-testid=recompute-outcomes]")]);
    const jobId = Number(new URL(page.url()).searchParams.get("started"));
    expect(await page.textContent("[data-testid=outcomes-message]")).toContain(`job ${jobId}`);
    await expect.poll(async () => (await getJob(stack.database.db, jobId)).status, { timeout: 60_000, interval: 500 }).toBe("SUCCEEDED");
    await screenshot(page, "outcomes-source");
  });

  it("shows a listener's weekly playlist formatted like the real thing", async () => {
    await page.goto(`${stack.dashboard.url}/playlists`);
    expect(await page.textContent("[data-testid=listener-count]")).toContain(`${stack.world.users.length} listeners`);
    const name = (await page.textContent(".pick-list li:nth-child(3) a"))!;
    await Promise.all([page.waitForURL(/user=/), page.click(".pick-list li:nth-child(3) a")]);
    expect(await page.textContent("[data-testid=picked-listener]")).toBe(name);
    const userId = Number(new URL(page.url()).searchParams.get("user"));
    const { weeklyPlaylist } = await api<{ weeklyPlaylist: { totalDurationMs: number; items: { track: { title: string } }[] } }>(
      `{ weeklyPlaylist(userId: ${userId}) { totalDurationMs items { track { title } } } }`,
    );
    const songs = weeklyPlaylist.items.length;
    const minutes = Math.round(weeklyPlaylist.totalDurationMs / 60_000);
    const length = minutes >= 60 ? `${Math.floor(minutes / 60)} hr ${minutes % 60} min` : `${minutes} min`;
    expect(await page.textContent("[data-testid=playlist-summary]")).toBe(`${songs} songs, ${length}`);
    expect(await page.$$eval("[data-testid=playlist-items] .title", (t) => t.map((e) => e.textContent))).toEqual(
      weeklyPlaylist.items.map((i) => i.track.title),
    );
    // Each song's explanation: one bar per model, carrying the API's score for that model.
    const { weeklyPlaylist: scored } = await api<{ weeklyPlaylist: { items: { scores: Record<string, number | null> }[] } }>(
      `{ weeklyPlaylist(userId: ${userId}) { items { scores { collaborative text audio coMention popularity novelty } } } }`,
    );
    const bars = await page.$$eval("[data-testid=playlist-items] li", (lis) =>
      lis.map((li) =>
        Object.fromEntries(
          Array.from(li.querySelectorAll("[data-model]")).map((b) => [
            b.getAttribute("data-model"),
            b.hasAttribute("data-score") ? Number(b.getAttribute("data-score")) : null,
          ]),
        ),
      ),
    );
    expect(bars).toEqual(scored.items.map((i) => i.scores));
    await screenshot(page, "playlists");
  });

  it("shows the listener's top artists and listening history as the API gives them, and pages back through the history", async () => {
    // A listener with more than a page of history (some demo listeners are cold starts).
    const [{ userId }] = await stack.database.db.query<{ userId: number }>(
      `SELECT user_id AS "userId" FROM listening_events GROUP BY user_id HAVING count(*) > 60 ORDER BY user_id LIMIT 1`,
    );
    await page.goto(`${stack.dashboard.url}/playlists?user=${userId}`);
    const data = await api<{
      topArtists: { totalPlays: number; totalArtists: number; artists: { artist: { name: string }; plays: number }[] };
      listeningHistory: { totalCount: number; edges: { node: { kind: string; track: { title: string } | null } }[] };
    }>(`{ topArtists(userId: ${userId}, first: 10) { totalPlays totalArtists artists { artist { name } plays } }
         listeningHistory(userId: ${userId}, first: 50) { totalCount edges { node { kind track { title } } } } }`);
    expect(data.topArtists.artists.length).toBeGreaterThan(0);
    expect(await page.$$eval("[data-testid=top-artists] .artist-name", (e) => e.map((x) => x.textContent))).toEqual(
      data.topArtists.artists.map((a) => a.artist.name),
    );
    expect(await page.$$eval("[data-testid=top-artists] .plays", (e) => e.map((x) => x.textContent))).toEqual(
      data.topArtists.artists.map((a) => a.plays.toLocaleString("en-US")),
    );
    expect(await page.textContent("[data-testid=top-artists-summary]")).toContain(
      `${data.topArtists.totalPlays.toLocaleString("en-US")} plays of ${data.topArtists.totalArtists} artists`,
    );
    expect(await page.textContent("[data-testid=history-count]")).toContain(`${data.listeningHistory.totalCount.toLocaleString("en-US")} events`);
    const rows = () =>
      page.$$eval("[data-testid=listening-history] tbody tr", (trs) =>
        trs.map((tr) => [tr.getAttribute("data-kind"), tr.querySelector(".title")?.textContent ?? null]),
      );
    const expected = data.listeningHistory.edges.map((e) => [e.node.kind, e.node.track?.title ?? null]);
    expect(await rows()).toEqual(expected.slice(0, 25));
    await screenshot(page, "playlists-listening");
    await Promise.all([page.waitForURL(/history=/), page.click("[data-testid=history-older]")]);
    expect(await rows()).toEqual(expected.slice(25, 50));
  });

  it("shows the listener's taste profile from their top artists, and compares two weeks' playlists", async () => {
    const [{ userId }] = await stack.database.db.query<{ userId: number }>(
      `SELECT user_id AS "userId" FROM listening_events GROUP BY user_id HAVING count(*) > 60 ORDER BY user_id LIMIT 1`,
    );
    const { topArtists } = await api<{ topArtists: { artists: { share: number; artist: { genre: string | null } }[] } }>(
      `{ topArtists(userId: ${userId}, first: 25) { artists { share artist { genre } } } }`,
    );
    const genres = new Map<string, number>();
    for (const a of topArtists.artists) genres.set(a.artist.genre ?? "no genre", (genres.get(a.artist.genre ?? "no genre") ?? 0) + a.share);
    const ranked = [...genres].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 8);
    // Last week's playlists too, so there are two weeks to compare.
    await generateDuePlaylists(stack.database.db, { now: new Date(Date.now() - 7 * 24 * 3600 * 1000) });
    await page.goto(`${stack.dashboard.url}/playlists?user=${userId}`);
    const shown = await page.$$eval("[data-testid=taste-genres] li", (li) =>
      li.map((l) => [l.getAttribute("data-label"), Number(l.getAttribute("data-share"))]),
    );
    expect(shown.map(([g]) => g)).toEqual(ranked.map(([g]) => g));
    shown.forEach(([, share], i) => expect(share).toBeCloseTo(ranked[i][1], 9));

    const { weeklyPlaylists } = await api<{ weeklyPlaylists: { edges: { node: { weekStart: string } }[] } }>(
      `{ weeklyPlaylists(userId: ${userId}) { edges { node { weekStart } } } }`,
    );
    expect(weeklyPlaylists.edges.length).toBeGreaterThanOrEqual(2);
    const [thisWeek, lastWeek] = weeklyPlaylists.edges.map((e) => e.node.weekStart);
    await Promise.all([page.waitForURL(/compare=/), page.click(`[data-compare-week="${lastWeek}"]`)]);
    const titles = async (week: string) =>
      (
        await api<{ weeklyPlaylist: { items: { track: { title: string; id: number } }[] } }>(
          `{ weeklyPlaylist(userId: ${userId}, weekStart: "${week}") { items { track { id: databaseId title } } } }`,
        )
      ).weeklyPlaylist.items.map((i) => i.track);
    const [a, b] = [await titles(thisWeek), await titles(lastWeek)];
    const kept = a.filter((t) => b.some((u) => u.id === t.id)).length;
    expect(await page.textContent("[data-testid=week-comparison-summary]")).toContain(
      `${kept} songs in both, ${a.length - kept} only in ${thisWeek}, ${b.length - kept} only in ${lastWeek}`,
    );
    expect(await page.$$eval("[data-testid=only-other] li", (li) => li.length)).toBe(b.length - kept);
    await screenshot(page, "playlists-compare");
  });

  it("draws a track's similarity graph, expands a node, and exports GEXF", async () => {
    const seed = (await api<{ tracks: { edges: { node: { id: number } }[] } }>(`{ tracks(first: 1) { edges { node { id: databaseId } } } }`)).tracks.edges[0]
      .node.id;
    await page.goto(`${stack.dashboard.url}/graph?entity=TRACK&model=COLLABORATIVE&k=5&seed=${seed}`);
    const graph = page.locator("[data-testid=graph]");
    await graph.waitFor();
    await page.locator("[data-testid=graph] canvas").first().waitFor();
    const nodesBefore = Number(await graph.getAttribute("data-nodes"));
    expect(nodesBefore).toBeGreaterThan(1);
    // Expand neighbours until the graph grows (a neighbour's neighbours may all be known already).
    // The node list is one tab stop: arrow keys move, Enter expands.
    const list = page.locator("[data-testid=node-list]");
    expect(await list.getAttribute("tabindex")).toBe("0");
    expect(await page.$$("[data-testid=node-list] button, [data-testid=node-list] a")).toHaveLength(0);
    await list.focus();
    await page.keyboard.press("ArrowDown");
    const activeId = (await list.getAttribute("aria-activedescendant"))!;
    expect(await page.getAttribute(`#${activeId}`, "data-expanded")).toBe("false");
    await page.keyboard.press("Enter");
    await expect.poll(async () => Number(await graph.getAttribute("data-expanded"))).toBe(2);
    expect(await page.getAttribute(`#${activeId}`, "data-expanded")).toBe("true");
    // Expand neighbours until the graph grows (a neighbour's neighbours may all be known already).
    for (let i = 0; i < 5 && Number(await graph.getAttribute("data-nodes")) === nodesBefore; i++) {
      await page.locator("[data-testid=node-list] li[data-expanded=false]").first().click();
      await expect.poll(async () => Number(await graph.getAttribute("data-expanded"))).toBe(i + 3);
    }
    expect(Number(await graph.getAttribute("data-nodes"))).toBeGreaterThan(nodesBefore);
    const gexf = (await download(page, "[data-testid=export-gexf]")).bytes.toString("utf8");
    expect(gexf).toContain("<gexf");
    expect(gexf).toContain(`id="${seed}"`);
    expect(gexf.match(/<node /g)).toHaveLength(Number(await graph.getAttribute("data-nodes")));
    expect(gexf.match(/<edge /g)).toHaveLength(Number(await graph.getAttribute("data-edges")));
    const tsv = (await download(page, "[data-testid=export-tsv]")).bytes.toString("utf8").trimEnd().split("\n");
    expect(tsv[0]).toBe("source\tsource_label\ttarget\ttarget_label\tscore");
    expect(tsv).toHaveLength(1 + Number(await graph.getAttribute("data-edges")));
    const { similarityGraph } = await api<{ similarityGraph: { edges: { source: number; target: number; score: number }[] } }>(
      `{ similarityGraph(seeds: [${seed}], entity: TRACK, model: COLLABORATIVE, k: 5, minScore: 0, depth: 1) { edges { source target score } } }`,
    );
    for (const e of similarityGraph.edges)
      expect(
        tsv.some((row) => {
          const [s, , t, , score] = row.split("\t");
          return ((Number(s) === e.source && Number(t) === e.target) || (Number(s) === e.target && Number(t) === e.source)) && Number(score) >= e.score - 1e-9;
        }),
      ).toBe(true);
    const png = await download(page, "[data-testid=export-png]");
    expect(png.bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    // The whole graph from the API's server-side export (the most-played tracks), through the dashboard's route.
    await page.fill("[data-testid=graph-downloads] input[name=nodes]", "50");
    const whole = await download(page, "[data-testid=export-graph-graphml]");
    expect(whole.name).toBe("track-collaborative-graph.graphml");
    const graphml = whole.bytes.toString("utf8");
    expect(graphml).toContain(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns"`);
    expect(graphml.match(/<node /g)).toHaveLength(50);
    await screenshot(page, "graph");
  });

  it("compares model versions side by side, with ALS's validation curve per iteration", async () => {
    type Version = { id: number; kind: string; metrics: Record<string, number>; history: Record<string, number | string>[] };
    const { modelVersions } = await api<{ modelVersions: { edges: { node: Version }[] } }>(
      `{ modelVersions(first: 50) { edges { node { id: databaseId kind metrics history } } } }`,
    );
    const versions = modelVersions.edges.map((e) => e.node);
    const als = versions.find((v) => v.kind === "ALS")!;
    const popularity = versions.find((v) => v.kind === "POPULARITY")!;
    // The trainer's curve: validation points after 1, 2, 4, 8 sweeps and at the end, the last one the stored metrics.
    const validation = als.history.filter((r) => r.phase === "validation");
    expect(validation.map((r) => r.iteration)).toEqual([1, 2, 4, 8, 15]);
    expect(validation[validation.length - 1]["recall@20"]).toBeCloseTo(als.metrics["recall@20"], 12);

    await page.goto(`${stack.dashboard.url}/training`);
    const comparison = page.locator("[data-testid=version-comparison]");
    expect(await comparison.getAttribute("data-versions")).toBe(String(als.id));
    const curve = page.locator("[data-testid='curve-validation recall@20'] g[data-series]");
    expect(Number(await curve.getAttribute("data-count"))).toBe(5);
    expect(Number(await curve.getAttribute("data-last"))).toBeCloseTo(als.metrics["recall@20"], 12);
    expect(await page.$$("[data-testid=curve-loss] g[data-series]")).toHaveLength(1);

    await page.check(`input[name=compare][value="${popularity.id}"]`);
    await Promise.all([page.waitForURL(/compare=/), page.click("[data-testid=compare-versions]")]);
    expect(new Set((await comparison.getAttribute("data-versions"))!.split(",").map(Number))).toEqual(new Set([als.id, popularity.id]));
    for (const v of [als, popularity]) {
      for (const metric of ["recall@20", "ndcg@20", "coverage"]) {
        expect(
          Number(await page.getAttribute(`[data-testid=comparison-metrics] tr[data-metric="${metric}"] td[data-version-id="${v.id}"]`, "data-value")),
        ).toBe(v.metrics[metric]);
      }
    }
    await screenshot(page, "training-compare");
  });

  it("starts an interleaving experiment of the active blend against a candidate, shows its arms, preference and traffic as the API does, and stops it", async () => {
    const db = stack.database.db;
    const { activeBlendConfig: active } = await api<{
      activeBlendConfig: { version: number; weights: Record<string, number>; constraints: Record<string, number | boolean> };
    }>(
      `{ activeBlendConfig { version weights { collaborative text audio coMention popularity novelty } constraints { playlistSize artistCap knownArtistShare diversity excludeSkipped explorationSlots } } }`,
    );
    const candidate = active.version === 1 ? 2 : 1;
    await page.goto(`${stack.dashboard.url}/experiments`);
    await page.fill("[data-testid=create-experiment] input[name=name]", "browser test: interleaving");
    await page.check("[data-testid=create-experiment] input[name=design][value=INTERLEAVING]");
    await page.selectOption("[data-testid=create-experiment] select[name=candidateVersion]", String(candidate));
    await Promise.all([page.waitForURL(/created=/), page.click("[data-testid=start-experiment]")]);
    const id = Number(new URL(page.url()).searchParams.get("id"));
    expect(await page.getAttribute("[data-testid=experiment]", "data-status")).toBe("RUNNING");
    expect(await page.textContent("[data-testid=experiments-message]")).toContain(`Experiment ${id} started`);

    // Two weeks ago, served with the experiment, and answered by the simulated listeners.
    const weekAgo2 = new Date(Date.now() - 14 * 24 * 3600 * 1000);
    await generateDuePlaylists(db, { now: weekAgo2 });
    const [{ week }] = await db.query<{ week: string }>(`SELECT to_char(min(week_start), 'YYYY-MM-DD') AS week FROM weekly_playlists`);
    const simulation = await startSimulation(db, { weeks: [week] });
    await expect.poll(async () => (await getJob(db, simulation.id)).status, { timeout: 120_000, interval: 500 }).toBe("SUCCEEDED");

    type Interval = { value: number; lower: number; upper: number };
    type Results = {
      sampleSize: number;
      verdict: string;
      traffic: { listeners: number; weeks: string[] };
      arms: { arm: string; blendVersion: number; metrics: { listeners: number; streamRate: Interval; saveRate: Interval } }[];
      preference: { wins: number; losses: number; ties: number; winShare: Interval } | null;
    };
    const { experimentResults: r } = await api<{ experimentResults: Results }>(
      `{ experimentResults(id: ${id}) { sampleSize verdict traffic { listeners weeks } arms { arm blendVersion metrics { listeners streamRate { value lower upper } saveRate { value lower upper } } } preference { wins losses ties winShare { value lower upper } } } }`,
    );
    expect(r.traffic.listeners).toBe(stack.world.users.length);
    expect(r.traffic.weeks).toEqual([week]);
    await page.goto(`${stack.dashboard.url}/experiments?id=${id}`);
    const traffic = page.locator("[data-testid=experiment-traffic]");
    expect(Number(await traffic.getAttribute("data-listeners"))).toBe(r.traffic.listeners);
    expect(Number(await traffic.getAttribute("data-sample-size"))).toBe(r.sampleSize);
    expect(await page.getAttribute("[data-testid=experiment-results]", "data-verdict")).toBe(r.verdict);
    for (const arm of r.arms) {
      const cell = page.locator(`[data-testid=experiment-arms] tr[data-arm=${arm.arm}] td[data-metric=streamRate]`);
      expect(Number(await cell.getAttribute("data-value")), arm.arm).toBe(arm.metrics.streamRate.value);
      expect(Number(await cell.getAttribute("data-lower")), arm.arm).toBe(arm.metrics.streamRate.lower);
      expect(Number(await page.getAttribute(`[data-testid=experiment-arms] tr[data-arm=${arm.arm}] td[data-metric=saveRate]`, "data-value"))).toBe(
        arm.metrics.saveRate.value,
      );
    }
    expect(r.arms.map((a) => a.blendVersion).sort()).toEqual([active.version, candidate].sort());
    const preference = page.locator("[data-testid=experiment-preference]");
    expect(r.preference).not.toBeNull();
    expect([
      Number(await preference.getAttribute("data-wins")),
      Number(await preference.getAttribute("data-losses")),
      Number(await preference.getAttribute("data-ties")),
    ]).toEqual([r.preference!.wins, r.preference!.losses, r.preference!.ties]);
    expect(r.preference!.wins + r.preference!.losses + r.preference!.ties).toBe(r.traffic.listeners);
    await screenshot(page, "experiments");

    // The blend page's off-policy estimate of the editor's settings (the active ones) is the API's.
    const { offPolicyEstimate: estimate } = await api<{ offPolicyEstimate: { streamRate: Interval; matchedSlots: number } }>(
      `{ offPolicyEstimate(weights: { ${Object.entries(active.weights)
        .map(([k, v]) => `${k}: ${v}`)
        .join(", ")} }, constraints: { ${Object.entries(active.constraints)
        .map(([k, v]) => `${k}: ${v}`)
        .join(", ")} }, maxPlaylists: 500) { streamRate { value lower upper } matchedSlots } }`,
    );
    expect(estimate.matchedSlots).toBeGreaterThan(0);
    await page.goto(`${stack.dashboard.url}/blend`);
    const offPolicy = page.locator("[data-testid=off-policy]");
    await expect
      .poll(async () => (await offPolicy.getAttribute("aria-busy")) === "false" && (await offPolicy.getAttribute("data-value")) !== null, { timeout: 60_000 })
      .toBe(true);
    expect(Number(await offPolicy.getAttribute("data-value"))).toBe(estimate.streamRate.value);
    expect(Number(await offPolicy.getAttribute("data-upper"))).toBe(estimate.streamRate.upper);
    await screenshot(page, "blend-off-policy");

    await page.goto(`${stack.dashboard.url}/experiments?id=${id}`);
    await Promise.all([page.waitForURL(/stopped=/), page.click("[data-testid=stop-experiment]")]);
    expect(await page.getAttribute("[data-testid=experiment]", "data-status")).toBe("STOPPED");
    const { experiments } = await api<{ experiments: { databaseId: number; status: string }[] }>(`{ experiments(first: 5) { databaseId status } }`);
    expect(experiments.find((e) => e.databaseId === id)?.status).toBe("STOPPED");
  });

  it("refuses to start work for a curator, and runs a weekly generation for an admin", async () => {
    await page.goto(`${stack.dashboard.url}/training`);
    await Promise.all([page.waitForURL(/error=/), page.click("text=Start weekly generation")]);
    expect(await page.textContent("[data-testid=training-message]")).toContain("needs an admin key");

    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, stack.adminKey);
    expect(new URL(adminPage.url()).pathname).toBe("/");
    await adminPage.goto(`${stack.dashboard.url}/training`);
    // One box per model `deepcuts train` knows, co-mention included, in its order.
    expect(await adminPage.$$eval("input[name=model]", (boxes) => boxes.map((b) => (b as HTMLInputElement).value))).toEqual([...TRAINABLE]);
    await Promise.all([adminPage.waitForURL(/started=/), adminPage.click("text=Start weekly generation")]);
    const jobId = new URL(adminPage.url()).searchParams.get("started");
    const row = adminPage.locator(`[data-testid=jobs] tr[data-job-id="${jobId}"]`);
    await expect.poll(async () => row.getAttribute("data-status"), { timeout: 30_000 }).toBe("SUCCEEDED");
    await screenshot(adminPage, "training");
    await Promise.all([adminPage.waitForURL(/\/sign-in/), adminPage.click("text=Sign out")]);
    expect((await adminContext.cookies()).find((c) => c.name === "deepcuts_session")).toBeUndefined();
    await adminContext.close();
  });

  it("cancels a running job from the Training page with an admin key; a curator gets no Cancel button", async () => {
    const seen = { aborted: false };
    // In-process work that runs until cancelled, as a long training checking its signal does.
    const job = await startJob(
      stack.database.db,
      "TRAIN",
      { models: ["browser test"] },
      (_progress, signal) =>
        new Promise<never>((_, reject) => signal.addEventListener("abort", () => ((seen.aborted = true), reject(new CancelledError("browser test work"))))),
    );
    await page.goto(`${stack.dashboard.url}/training`);
    const curatorRow = page.locator(`[data-testid=jobs] tr[data-job-id="${job.id}"]`);
    await curatorRow.waitFor();
    expect(await curatorRow.locator("[data-testid=cancel-job]").count()).toBe(0);

    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, stack.adminKey);
    await adminPage.goto(`${stack.dashboard.url}/training`);
    const row = adminPage.locator(`[data-testid=jobs] tr[data-job-id="${job.id}"]`);
    expect(await row.getAttribute("data-status")).toBe("RUNNING");
    expect(seen.aborted).toBe(false);
    await row.locator("[data-testid=cancel-job]").click();
    await expect.poll(async () => row.getAttribute("data-status"), { timeout: 15_000 }).toBe("CANCELLED");
    expect(seen.aborted).toBe(true);
    expect(await row.locator("[data-testid=cancel-job]").count()).toBe(0);
    const { job: stored } = await api<{ job: { status: string } }>(`{ job(id: ${job.id}) { status } }`);
    expect(stored.status).toBe("CANCELLED");
    await screenshot(adminPage, "training-cancelled");
    await adminContext.close();
  });

  it.each([
    "/",
    "/catalogue",
    "/vectors",
    "/vectors?track=first",
    "/blend",
    "/playlists",
    "/playlists?user=first",
    "/outcomes",
    "/experiments",
    "/graph",
    "/graph?seed=first",
    "/training",
  ])("%s loads without an API refusal and has no serious accessibility problem", async (path) => {
    const [{ track }] = await stack.database.db.query<{ track: number }>(`SELECT min(id) AS track FROM tracks`);
    const [{ listener }] = await stack.database.db.query<{ listener: number }>(`SELECT min(user_id) AS listener FROM weekly_playlists`);
    const url = path.replace("track=first", `track=${track}`).replace("seed=first", `seed=${track}`).replace("user=first", `user=${listener}`);
    await page.goto(`${stack.dashboard.url}${url}`, { waitUntil: "load" });
    // Streamed sections (the map, a track's detail, the graph canvas) finish before axe looks.
    await page.waitForFunction(() => document.querySelectorAll("[aria-busy=true]").length === 0, null, { timeout: 30_000 });
    expect(await page.$$("[data-testid=api-refused]"), `${path} shows an API refusal`).toHaveLength(0);
    expect(await page.$$("[data-testid=page-error]"), `${path} failed to render`).toHaveLength(0);
    expect(await accessibilityProblems(page), `${path}`).toEqual([]);
  });

  it("says so when a track does not exist, and when a page does not", async () => {
    await page.goto(`${stack.dashboard.url}/vectors?track=987654321`);
    await page.locator("[data-testid=not-found]").waitFor();
    expect(await page.textContent("[data-testid=not-found]")).toContain("Not found");
    const response = await page.goto(`${stack.dashboard.url}/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await page.textContent("h1")).toBe("Page not found");
  });

  it("shows the error page, not a blank one, when a page cannot read the API's answer", async () => {
    // An API that signs the key in, then answers every query with empty data.
    const fake = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        const query = String((JSON.parse(body) as { query: string }).query);
        const data = query.includes("me {") || query.includes("me{") ? { me: { role: "CURATOR" } } : {};
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data }));
      });
    });
    await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
    const fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/`;
    const dashboard = await startDashboard(await freePort(), fakeUrl);
    const fakeContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const fakePage = await fakeContext.newPage();
      await fakePage.goto(`${dashboard.url}/sign-in`);
      await fakePage.fill("#key", "dc_curator_anything");
      await Promise.all([fakePage.waitForURL((u) => u.pathname === "/"), fakePage.click("button[type=submit]")]);
      await fakePage.locator("[data-testid=page-error]").waitFor();
      expect(await fakePage.textContent("[data-testid=page-error] h1")).toBe("This page failed to load");
      // Still inside the shell: the curator can go elsewhere.
      expect(await fakePage.$$("nav.sidebar a")).not.toHaveLength(0);
      await fakePage.click("text=Try again");
      await fakePage.locator("[data-testid=page-error]").waitFor();
      await screenshot(fakePage, "page-error");
    } finally {
      await fakeContext.close();
      await dashboard.stop();
      fake.close();
    }
  });

  it("says plainly when the API is down", async () => {
    await stack.api.stop();
    await page.goto(`${stack.dashboard.url}/`);
    expect(await page.textContent("[data-testid=api-down] h2")).toBe("The Deepcuts API is not answering");
    expect(await page.textContent("[data-testid=api-down]")).toContain(stack.api.url);
    await screenshot(page, "api-down");
  });
});
