import type { IncomingMessage } from "node:http";
import { HttpError } from "./respond.ts";

const JSON_TYPES = new Set(["application/json"]);
const UTF8 = new Set(["utf-8", "utf8"]);

/** The media type and charset of a Content-Type header ("application/json; charset=utf-8"). */
export function contentType(header: string | undefined): { type: string; charset: string | null } {
  const [type, ...params] = (header ?? "").split(";");
  let charset: string | null = null;
  for (const param of params) {
    const [name, value] = param.split("=").map((s) => s?.trim());
    if (name?.toLowerCase() === "charset" && value) charset = value.replace(/^"(.*)"$/, "$1").toLowerCase();
  }
  return { type: type.trim().toLowerCase(), charset };
}

/**
 * Reads a POST body as JSON: Content-Type application/json in UTF-8, at most `limit` bytes
 * (checked against Content-Length first, then while reading, so an oversized body is never
 * held in memory). Anything else is an HttpError with the status and code the client gets.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const { type, charset } = contentType(req.headers["content-type"]);
  if (!JSON_TYPES.has(type))
    throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", `send the operation as Content-Type: application/json, got '${clip(type || "none")}'`);
  if (charset !== null && !UTF8.has(charset)) throw new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", `the body must be UTF-8, got charset '${clip(charset)}'`);
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new HttpError(400, "BAD_REQUEST", "the body is not valid UTF-8");
  }
  if (text.trim() === "") throw new HttpError(400, "BAD_REQUEST", 'the body is empty: send {"query": "..."}');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, "BAD_REQUEST", `the body is not valid JSON (${clip((error as Error).message)})`);
  }
}

const tooLarge = (limit: number) => new HttpError(413, "PAYLOAD_TOO_LARGE", `the body is over the limit of ${limit} bytes (DEEPCUTS_MAX_BODY_BYTES)`);

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}
