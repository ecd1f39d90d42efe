import http from "node:http";
import https from "node:https";
import { guardedLookup, literalRefusal, PrivateAddressError } from "./address-guard.ts";

export const USER_AGENT = "DeepcutsCrawler/0.1 (+https://github.com/deepcuts/deepcuts; music writing for an open-source Discover Weekly)";
/** The product token robots.txt groups are matched against. */
export const ROBOTS_AGENT = "DeepcutsCrawler";

export interface FetchOnceOptions {
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs: number;
  /** Request headers (conditional GET validators). */
  headers?: Record<string, string>;
  /** Content types accepted (prefix match on the media type); others are skipped unread. */
  accept?: (mediaType: string) => boolean;
}

/** One HTTP exchange, no redirects followed: a response, or a reason the body was not taken. */
export type FetchOnceResult =
  | { kind: "response"; status: number; headers: http.IncomingHttpHeaders; body: Buffer; mediaType: string }
  | { kind: "skipped"; status: number | null; reason: string };

/**
 * GETs `url` once. The body is read only for 2xx answers of an accepted type and only up to
 * `maxBytes` (a declared larger Content-Length is refused before reading; a body that grows past
 * the limit is abandoned, never stored in part). Private addresses are refused both for IP
 * literals and after DNS resolution unless `allowPrivate`.
 */
export function fetchOnce(url: URL, options: FetchOnceOptions): Promise<FetchOnceResult> {
  const refused = literalRefusal(url.hostname, options.allowPrivate);
  if (refused) return Promise.resolve({ kind: "skipped", status: null, reason: refused });
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: FetchOnceResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = client.get(url, {
      headers: {
        "user-agent": USER_AGENT,
        accept: "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.5,*/*;q=0.1",
        ...options.headers,
      },
      lookup: guardedLookup(options.allowPrivate),
    });
    const timer = setTimeout(() => {
      finish({ kind: "skipped", status: null, reason: `timed out after ${options.timeoutMs} ms` });
      request.destroy();
    }, options.timeoutMs);
    request.on("error", (error) => {
      const reason = error instanceof PrivateAddressError ? error.message : `request failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`;
      finish({ kind: "skipped", status: null, reason });
    });
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      const mediaType = String(response.headers["content-type"] ?? "")
        .split(";")[0]
        .trim()
        .toLowerCase();
      const done = (result: FetchOnceResult) => {
        response.destroy();
        finish(result);
      };
      if (status < 200 || status >= 300) return done({ kind: "response", status, headers: response.headers, body: Buffer.alloc(0), mediaType });
      if (options.accept && !options.accept(mediaType))
        return done({ kind: "skipped", status, reason: `not a page or feed (${mediaType || "no content type"})` });
      const declared = Number(response.headers["content-length"]);
      if (Number.isFinite(declared) && declared > options.maxBytes)
        return done({ kind: "skipped", status, reason: `too large: ${declared} bytes declared, limit ${options.maxBytes}` });
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) return done({ kind: "skipped", status, reason: `too large: more than ${options.maxBytes} bytes` });
        chunks.push(chunk);
      });
      response.on("end", () => finish({ kind: "response", status, headers: response.headers, body: Buffer.concat(chunks), mediaType }));
      response.on("error", (error) => finish({ kind: "skipped", status, reason: `response failed: ${error.message}` }));
    });
  });
}
