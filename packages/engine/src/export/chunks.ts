import { createWriteStream } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";

/** A file's content as it is produced: text (UTF-8) or bytes, in order. */
export type Chunks = Iterable<string | Uint8Array>;

/** Writes chunks to a stream, waiting for it to drain when it asks to (memory stays at one chunk). Does not end it. */
export async function pipeChunks(out: Writable, chunks: Chunks): Promise<number> {
  let bytes = 0;
  for (const chunk of chunks) {
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (out.destroyed) throw new Error("the output closed before the export was written");
    if (!out.write(chunk)) await Promise.race([once(out, "drain"), once(out, "close")]);
  }
  return bytes;
}

/** Writes chunks to a file and closes it. */
export async function writeChunks(path: string, chunks: Chunks): Promise<void> {
  const out = createWriteStream(path);
  await pipeChunks(out, chunks);
  out.end();
  await once(out, "finish");
}
