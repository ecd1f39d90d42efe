import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import { Tokenizer, TokenParser, TokenType } from "@streamparser/json";
import { ImportError } from "./import-error.ts";

/** One value read from a JSON file, with the 1-based line where it starts. */
export interface JsonItem {
  value: unknown;
  line: number;
}

/** Bytes read so far, for progress bars. */
export type OnBytes = (bytesRead: number) => void;

const VALUE_TOKENS = new Set<number>([
  TokenType.LEFT_BRACE,
  TokenType.LEFT_BRACKET,
  TokenType.STRING,
  TokenType.NUMBER,
  TokenType.TRUE,
  TokenType.FALSE,
  TokenType.NULL,
]);

/** The first character that is not whitespace or a byte order mark ("[" for an array), or null for an empty file. */
export async function firstJsonChar(path: string): Promise<string | null> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(4096);
    for (let position = 0; ;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) return null;
      const text = buffer
        .subarray(0, bytesRead)
        .toString("utf8")
        .replace(/^\uFEFF/, "");
      const m = /\S/.exec(text);
      if (m) return m[0];
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Streams the values of a JSON file that sit at `paths` (a JSONPath subset: "$.*" is every
 * element of a top-level array, "$.recenttracks.track.*" every element of that nested array),
 * in constant memory whatever the file's size, with @streamparser/json. Each value comes with
 * the line where it starts; invalid JSON throws an ImportError at the line of the fault.
 */
export async function* readJsonValues(path: string, file: string, paths: string[], onBytes: OnBytes = () => {}): AsyncGenerator<JsonItem> {
  const targetDepths = new Set(paths.map((p) => p.split(".").length - 1));
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths, keepStack: false });
  const ready: JsonItem[] = [];

  // Line of a byte offset: offsets only grow, so a cursor walks the current chunk once.
  let chunk: Buffer = Buffer.alloc(0);
  let chunkStart = 0;
  let cursor = 0;
  let cursorLine = 1;
  const lineAt = (offset: number): number => {
    const end = Math.min(offset - chunkStart, chunk.length);
    for (let i = Math.max(cursor - chunkStart, 0); i < end; i++) if (chunk[i] === 10) cursorLine++;
    cursor = Math.max(cursor, chunkStart + end);
    return cursorLine;
  };

  // Which token starts a value, and at what depth: after "[" or "," in an array, after ":" in an object.
  const containers: ("object" | "array")[] = [];
  let expectValue = true;
  const startLines: number[] = [];
  tokenizer.onToken = (info) => {
    const { token, offset } = info;
    if (expectValue && VALUE_TOKENS.has(token) && targetDepths.has(containers.length)) startLines[containers.length] = lineAt(offset);
    if (token === TokenType.LEFT_BRACE) {
      containers.push("object");
      expectValue = false;
    } else if (token === TokenType.LEFT_BRACKET) {
      containers.push("array");
      expectValue = true;
    } else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) {
      containers.pop();
      expectValue = false;
    } else if (token === TokenType.COLON) expectValue = true;
    else if (token === TokenType.COMMA) expectValue = containers[containers.length - 1] === "array";
    else expectValue = false;
    parser.write(info);
  };
  parser.onValue = ({ value, stack }) => {
    ready.push({ value, line: startLines[stack.length] ?? cursorLine });
  };
  const fail = (error: unknown): never => {
    const message = (error as Error).message;
    const position = /at position "?(\d+)"?/.exec(message);
    const line = position ? lineAt(Number(position[1])) : cursorLine;
    throw new ImportError(file, line, `not valid JSON: ${message.replace(/ at position "?\d+"?/, "").replace(/ in state \w+/, "")}`);
  };

  let bytesRead = 0;
  let first = true;
  for await (const raw of createReadStream(path) as AsyncIterable<Buffer>) {
    bytesRead += raw.length;
    let bytes = raw;
    if (first && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    first = false;
    // Newlines left in the previous chunk belong to the lines before this one.
    lineAt(chunkStart + chunk.length);
    chunkStart += chunk.length;
    chunk = bytes;
    try {
      tokenizer.write(bytes);
    } catch (error) {
      fail(error);
    }
    yield* ready.splice(0);
    onBytes(bytesRead);
  }
  lineAt(chunkStart + chunk.length);
  try {
    tokenizer.end();
  } catch (error) {
    fail(error);
  }
  if (containers.length > 0) throw new ImportError(file, cursorLine, "not valid JSON: the file ends inside an array or object");
  yield* ready.splice(0);
}

/** Streams a JSON-lines file: one value per non-empty line, with its line number. */
export async function* readJsonLines(path: string, file: string, onBytes: OnBytes = () => {}): AsyncGenerator<JsonItem> {
  const stream = createReadStream(path);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    const body = line === 1 ? text.replace(/^\uFEFF/, "") : text;
    if (body.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      throw new ImportError(file, line, `not valid JSON: ${(error as Error).message}`);
    }
    if (line % 1000 === 0) onBytes(stream.bytesRead);
    yield { value, line };
  }
  onBytes(stream.bytesRead);
}
