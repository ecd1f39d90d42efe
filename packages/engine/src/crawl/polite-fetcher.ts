import robotsParser from "robots-parser";
import { literalRefusal, schemeRefusal } from "./address-guard.ts";
import { fetchOnce, ROBOTS_AGENT, type FetchOnceResult } from "./http-fetch.ts";

export interface PoliteOptions {
  /** Body limit per page in bytes (default 2 MiB). */
  maxBytes?: number;
  /** Per request (default 15 s). */
  timeoutMs?: number;
  /** Redirects followed per URL (default 5). */
  maxRedirects?: number;
  /** Least pause between two requests to one host when robots.txt asks for none (default 1000 ms). */
  minDelayMs?: number;
  /** A robots.txt Crawl-delay above this is capped to it (default 30 s). */
  maxCrawlDelayMs?: number;
  /** Waits; injectable so that tests can record the pauses. */
  sleep?: (ms: number) => Promise<void>;
}

export interface Validators {
  etag?: string | null;
  lastModified?: string | null;
}

/** What became of one URL: its body, "not modified" (304 to a conditional GET), or a reason it was skipped. */
export type PoliteResult =
  | { kind: "fetched"; url: string; status: number; body: Buffer; mediaType: string; etag: string | null; lastModified: string | null }
  | { kind: "not-modified"; url: string; status: 304 }
  | { kind: "skipped"; url: string; status: number | null; reason: string };

interface HostRobots {
  rules: { isAllowed(url: string, ua?: string): boolean | undefined; getCrawlDelay(ua?: string): number | undefined };
  /** Set when the host itself may not be reached (a private address): every URL on it is skipped with this reason. */
  refusal: string | null;
}

interface HostState {
  tail: Promise<void>;
  lastRequestAt: number;
  robots: Promise<HostRobots> | null;
  /** The robots rules once read. */
  rules: HostRobots | null;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A crawler's HTTP side: robots.txt (RFC 9309, by robots-parser) read once per host and obeyed,
 * its Crawl-delay observed, one request per host at a time, conditional GET, a byte limit,
 * bounded redirects (each hop checked again), only http(s), private addresses only where allowed.
 */
export class PoliteFetcher {
  private readonly hosts = new Map<string, HostState>();
  private readonly options: Required<PoliteOptions>;

  constructor(options: PoliteOptions = {}) {
    this.options = {
      maxBytes: options.maxBytes ?? 2 * 1024 * 1024,
      timeoutMs: options.timeoutMs ?? 15_000,
      maxRedirects: options.maxRedirects ?? 5,
      minDelayMs: options.minDelayMs ?? 1000,
      maxCrawlDelayMs: options.maxCrawlDelayMs ?? 30_000,
      sleep: options.sleep ?? defaultSleep,
    };
  }

  /** GETs `url` politely; `accept` filters media types; validators make it conditional. */
  async fetch(url: string, input: { allowPrivate: boolean; validators?: Validators; accept?: (mediaType: string) => boolean }): Promise<PoliteResult> {
    let current: URL;
    try {
      current = new URL(url);
    } catch {
      return { kind: "skipped", url, status: null, reason: `not a URL: ${url}` };
    }
    const seen = new Set<string>();
    for (let hop = 0; ; hop++) {
      const scheme = schemeRefusal(current);
      if (scheme) return { kind: "skipped", url, status: null, reason: scheme };
      current.hash = "";
      if (seen.has(current.href)) return { kind: "skipped", url, status: null, reason: `redirect loop at ${current.href}` };
      seen.add(current.href);
      const refusal = await this.allowed(current, input.allowPrivate);
      if (refusal) return { kind: "skipped", url, status: null, reason: refusal };
      const headers: Record<string, string> = {};
      // Stored validators are those of the final response, so they go with every hop: a redirect
      // ignores them and the page it leads to answers 304 when unchanged.
      if (input.validators?.etag) headers["if-none-match"] = input.validators.etag;
      if (input.validators?.lastModified) headers["if-modified-since"] = input.validators.lastModified;
      const target = current;
      const result: FetchOnceResult = await this.onHost(target, () =>
        fetchOnce(target, {
          allowPrivate: input.allowPrivate,
          maxBytes: this.options.maxBytes,
          timeoutMs: this.options.timeoutMs,
          headers,
          accept: input.accept,
        }),
      );
      if (result.kind === "skipped") return { kind: "skipped", url, status: result.status, reason: result.reason };
      if (result.status === 304) return { kind: "not-modified", url, status: 304 };
      if (result.status >= 300 && result.status < 400) {
        const location = result.headers.location;
        if (!location) return { kind: "skipped", url, status: result.status, reason: `redirect ${result.status} without a Location` };
        if (hop >= this.options.maxRedirects)
          return { kind: "skipped", url, status: result.status, reason: `more than ${this.options.maxRedirects} redirects` };
        current = new URL(location, current);
        continue;
      }
      if (result.status < 200 || result.status >= 300) return { kind: "skipped", url, status: result.status, reason: `HTTP ${result.status}` };
      const header = (name: string) => {
        const v = result.headers[name];
        return typeof v === "string" ? v : null;
      };
      return {
        kind: "fetched",
        url: current.href,
        status: result.status,
        body: result.body,
        mediaType: result.mediaType,
        etag: header("etag"),
        lastModified: header("last-modified"),
      };
    }
  }

  private host(url: URL): HostState {
    let state = this.hosts.get(url.host);
    if (!state) {
      state = { tail: Promise.resolve(), lastRequestAt: 0, robots: null, rules: null };
      this.hosts.set(url.host, state);
    }
    return state;
  }

  /** Runs `request` when the host's previous request has ended and its delay has passed. */
  private onHost<T>(url: URL, request: () => Promise<T>): Promise<T> {
    const state = this.host(url);
    const run = state.tail.then(async () => {
      const delay = this.delayMs(state);
      const wait = state.lastRequestAt + delay - Date.now();
      if (state.lastRequestAt > 0 && wait > 0) await this.options.sleep(wait);
      try {
        return await request();
      } finally {
        state.lastRequestAt = Date.now();
      }
    });
    state.tail = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private delayMs(state: HostState): number {
    // The robots.txt request itself runs before its rules are known (awaiting them here would wait on itself).
    const crawlDelay = state.rules?.rules.getCrawlDelay(ROBOTS_AGENT);
    const asked = typeof crawlDelay === "number" && Number.isFinite(crawlDelay) ? crawlDelay * 1000 : 0;
    return Math.max(this.options.minDelayMs, Math.min(asked, this.options.maxCrawlDelayMs));
  }

  /**
   * robots.txt of the URL's host, fetched once (through the host's queue, so it counts as one of
   * its requests). RFC 9309: a 4xx means no rules; a 5xx or an unreachable file means disallow all.
   */
  private async allowed(url: URL, allowPrivate: boolean): Promise<string | null> {
    const literal = literalRefusal(url.hostname, allowPrivate);
    if (literal) return literal;
    const state = this.host(url);
    if (!state.robots) {
      const robotsUrl = new URL("/robots.txt", url);
      state.robots = this.onHost(robotsUrl, () => fetchOnce(robotsUrl, { allowPrivate, maxBytes: 500 * 1024, timeoutMs: this.options.timeoutMs })).then(
        (result): HostRobots => {
          if (result.kind === "response" && result.status >= 200 && result.status < 300)
            return { rules: robotsParser(robotsUrl.href, result.body.toString("utf8")), refusal: null };
          if (result.kind === "response" && result.status >= 400 && result.status < 500) return { rules: robotsParser(robotsUrl.href, ""), refusal: null };
          const refusal = result.kind === "skipped" && /private|loopback/.test(result.reason) ? result.reason : null;
          return { rules: robotsParser(robotsUrl.href, "User-agent: *\nDisallow: /"), refusal };
        },
      );
    }
    const robots = await state.robots;
    state.rules = robots;
    if (robots.refusal) return robots.refusal;
    return robots.rules.isAllowed(url.href, ROBOTS_AGENT) === false ? `disallowed by robots.txt: ${url.href}` : null;
  }
}
