/**
 * How long each dashboard page takes to load on the test demo world (50 listeners, 200
 * tracks, 5,000 events) in headless Chromium: time from navigation start to the `load` event,
 * and for Blend to the first preview drawn. Measured here, never asserted in tests.
 *
 *   node --import tsx test/browser/page-load.bench.ts [--runs 5]
 *
 * Or against a product already running (e.g. `npm start` on the default demo world):
 *
 *   node --import tsx test/browser/page-load.bench.ts --dashboard http://127.0.0.1:3000 --key <curator key> [--track 1] [--user 1]
 *
 * Then the vector map's drawing code (apps/dashboard/src/lib/map-draw.ts, the file the page
 * bundles) on 50,000 synthetic points in the same Chromium: one zoom frame (project, hit grid,
 * draw, pixels flushed), an arrow-key step, a hover lookup. `--only-map` skips the pages.
 */
import { readFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import ts from "typescript";
import type { Page } from "playwright-core";
import { chromiumMissing, launchChromium } from "./browser.ts";
import { startDemoStack } from "./demo-stack.ts";

const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const runs = Number(arg("--runs") ?? 5);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new RangeError(`--runs must be an integer 1..100, got ${arg("--runs")}`);
const running = arg("--dashboard");
if (running && !arg("--key")) throw new RangeError("--dashboard needs --key <curator key>");
if (chromiumMissing) {
  console.error(chromiumMissing);
  process.exit(1);
}

const onlyMap = process.argv.includes("--only-map");
const stack = running || onlyMap ? null : await startDemoStack();
const dashboardUrl = running ?? stack?.dashboard.url ?? "";
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  if (!onlyMap) await benchPages(page);
  await benchMap(page, 50_000);
  console.log(
    `\n${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
} finally {
  await browser.close();
  await stack?.stop();
}

async function benchPages(page: Page): Promise<void> {
  await page.goto(`${dashboardUrl}/sign-in`);
  await page.fill("#key", running ? arg("--key")! : stack!.curatorKey);
  await Promise.all([page.waitForURL((u) => u.pathname === "/"), page.click("button[type=submit]")]);
  const firstId = async (table: string, flag: string) =>
    stack ? (await stack.database.db.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id LIMIT 1`))[0].id : Number(arg(flag) ?? 1);
  const track = await firstId("tracks", "--track");
  const user = await firstId("users", "--user");
  console.log(running ? `running product at ${running}, track ${track}, listener ${user}` : "test demo world: 50 listeners, 200 tracks, 5,000 events");
  const pages: [string, string, string | null][] = [
    ["overview", "/", null],
    ["catalogue", "/catalogue", null],
    ["vectors (map + neighbours)", `/vectors?track=${track}`, null],
    ["blend (to first preview)", "/blend", "[data-testid=preview-items] li"],
    ["playlists (one listener)", `/playlists?user=${user}`, null],
    ["graph (canvas drawn)", `/graph?seed=${track}`, "[data-testid=graph] canvas"],
    ["training", "/training", null],
  ];
  console.log(`| page | median ms | max ms | runs |\n|---|---|---|---|`);
  for (const [name, path, waitFor] of pages) {
    const times: number[] = [];
    // One unmeasured visit first: the first request to each route loads its server code.
    for (let i = 0; i <= runs; i++) {
      const started = performance.now();
      await page.goto(`${dashboardUrl}${path}`, { waitUntil: "load" });
      if (waitFor) await page.locator(waitFor).first().waitFor({ timeout: 30_000 });
      if (i > 0) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${name} | ${times[Math.floor(times.length / 2)].toFixed(0)} | ${times[times.length - 1].toFixed(0)} | ${runs} |`);
  }
}

/** The map's own drawing module, compiled as it is, on `n` clustered synthetic points in a 720x460 canvas. */
async function benchMap(page: Page, n: number): Promise<void> {
  const source = await readFile(new URL("../../apps/dashboard/src/lib/map-draw.ts", import.meta.url), "utf8");
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  await page.setContent("<canvas width=720 height=460></canvas>");
  // tsx names functions with an `__name` helper that the page does not have.
  await page.addScriptTag({ content: `window.__name = (f) => f; window.mapDraw = {}; (function (exports) { ${js} })(window.mapDraw);` });
  const result = await page.evaluate((count) => {
    const m = (window as unknown as { mapDraw: typeof import("../../apps/dashboard/src/lib/map-draw.ts") }).mapDraw;
    let seed = 42;
    const random = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const xs = new Float32Array(count),
      ys = new Float32Array(count),
      colours = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const c = i % 12;
      // Twelve Gaussian clusters (Box-Muller), like genres on a projection.
      const r = Math.sqrt(-2 * Math.log(random() + 1e-12)),
        a = 2 * Math.PI * random();
      [xs[i], ys[i], colours[i]] = [Math.cos(c) * 4 + r * Math.cos(a), Math.sin(c) * 3 + r * Math.sin(a), c];
    }
    const palette = ["#1f6f5c", "#3a78c2", "#d9822b", "#7a4fb3", "#c2418a", "#4f9d2d", "#b23a3a", "#2aa1b3", "#8c6d1f", "#e0b000", "#8a939e", "#d3d7dc"];
    const canvas = document.querySelector("canvas")!;
    const ctx = canvas.getContext("2d")!;
    const buckets = m.bucketsByColour(colours, palette.length, [11]);
    const bucketColours = [11, ...palette.map((_, c) => c).filter((c) => c !== 11)];
    const frames: number[] = [];
    const parts = { project: 0, grid: 0, draw: 0 };
    let screen = m.project(xs, ys, m.fitTransform(xs, ys, 720, 460, 16));
    let grid = new m.PointGrid(screen.sx, screen.sy, 720, 460);
    for (let f = 0; f < 30; f++) {
      const started = performance.now();
      // A zoom frame as the component runs it: transform, screen positions, hit grid, draw; getImageData waits for the pixels.
      screen = m.project(xs, ys, m.fitTransform(xs, ys, 720, 460, 16, { zoom: 1 + (f % 10) * 0.3, panX: 0, panY: 0 }));
      const projected = performance.now();
      grid = new m.PointGrid(screen.sx, screen.sy, 720, 460);
      const gridded = performance.now();
      m.drawPoints(ctx, screen.sx, screen.sy, buckets, {
        width: 720,
        height: 460,
        palette,
        bucketColours,
        colourIndex: colours,
        radius: 1.5,
        highlighted: null,
        selected: -1,
        focused: f,
      });
      ctx.getImageData(0, 0, 1, 1);
      const done = performance.now();
      frames.push(done - started);
      [parts.project, parts.grid, parts.draw] = [parts.project + projected - started, parts.grid + gridded - projected, parts.draw + done - gridded];
    }
    let at = 0;
    const stepStart = performance.now();
    for (let k = 0; k < 50; k++) at = m.step(screen.sx, screen.sy, at, (["left", "up", "right", "down"] as const)[k % 4]);
    const stepMs = (performance.now() - stepStart) / 50;
    const hoverStart = performance.now();
    for (let k = 0; k < 2000; k++) grid.nearest(random() * 720, random() * 460, 8);
    const hoverMs = (performance.now() - hoverStart) / 2000;
    frames.sort((a, b) => a - b);
    return {
      median: frames[frames.length >> 1],
      max: frames[frames.length - 1],
      stepMs,
      hoverMs,
      parts: Object.entries(parts)
        .map(([k, v]) => `${k} ${(v / frames.length).toFixed(1)}`)
        .join(", "),
    };
  }, n);
  console.log(
    `\nvector map, ${n.toLocaleString("en-US")} points: zoom frame median ${result.median.toFixed(1)} ms, max ${result.max.toFixed(1)} ms; arrow-key step ${result.stepMs.toFixed(2)} ms; hover lookup ${(1000 * result.hoverMs).toFixed(1)} µs (mean ms per frame: ${result.parts})`,
  );
}
