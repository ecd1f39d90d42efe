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
 */
import { cpus, loadavg } from "node:os";
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

const stack = running ? null : await startDemoStack();
const dashboardUrl = running ?? stack!.dashboard.url;
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
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
  console.log(`\n${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
} finally {
  await browser.close();
  await stack?.stop();
}
