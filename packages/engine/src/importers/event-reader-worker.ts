import { parentPort, workerData } from "node:worker_threads";
import { ImportError } from "./import-error.ts";
import { readEventBatches, type EventReaderMessage, type EventReaderStart } from "./event-reader.ts";

// The reader's thread of an events import into the embedded database (event-reader.ts): reads,
// checks and batches the file, and sends each batch once the importing thread has room for it.
const start = workerData as EventReaderStart;
const port = parentPort!;
let credits = start.ahead;
let wake: (() => void) | null = null;
port.on("message", () => {
  credits++;
  wake?.();
});
const send = (message: EventReaderMessage) => port.postMessage(message);

try {
  for await (const read of readEventBatches(start.path, start.format, new Date(start.now), start.options)) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
    credits--;
    send({ type: "batch", ...read });
  }
  send({ type: "end" });
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  send({
    type: "failed",
    name: e.name,
    message: e.message,
    stack: e.stack,
    ...(e instanceof ImportError ? { file: e.file, line: e.line, problem: e.problem } : {}),
  });
}
