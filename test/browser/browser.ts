import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's chromium (apt-get install chromium); DEEPCUTS_CHROMIUM overrides the path. */
export const chromiumPath = process.env.DEEPCUTS_CHROMIUM ?? "/usr/bin/chromium";

/** Null when Chromium is present, else why browser tests skip. */
export const chromiumMissing: string | null = existsSync(chromiumPath)
  ? null
  : `Chromium not found at ${chromiumPath} (apt-get install -y chromium, or set DEEPCUTS_CHROMIUM)`;

/** Screenshots land where CI keeps them: test-output/screenshots/ at the repository root. */
export const screenshotDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../test-output/screenshots");

// Flags: no sandbox (root in CI containers), no GPU, and nothing that
// reaches for the network on its own.
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Headless Chromium. Playwright's launch() already gives every browser a fresh temporary
 * profile (it refuses an explicit --user-data-dir) and removes it on close.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: FLAGS });
}

/** Full-page screenshot named after the page, for humans reviewing a CI run. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
