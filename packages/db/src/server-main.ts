// Child process that owns the embedded database and serves it over the PostgreSQL protocol.
// Started by startEmbeddedServer(); stops cleanly (checkpoint, close, unlock) on SIGTERM/SIGINT
// or when its parent goes away.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { acquireLock, releaseLock, updateLock } from "./lock.ts";

const [dataDir, portArg] = process.argv.slice(2);
const send = (message: object) => process.send?.(message);

async function main() {
  acquireLock(dataDir, { mode: "server", command: "deepcuts database server" });
  const db = await PGlite.create({ dataDir });
  // Each client pool may hold a few connections; the socket server resets any beyond this.
  const server = new PGLiteSocketServer({ db, port: Number(portArg) || 0, host: "127.0.0.1", maxConnections: 32 });
  await server.start();
  const port = Number(server.getServerConn().split(":").pop());
  updateLock(dataDir, { port });
  // PGlite never checkpoints on its own: do it periodically so a crash loses little.
  const checkpoints = setInterval(() => void db.query("CHECKPOINT").catch(() => {}), 5 * 60_000);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(checkpoints);
    await server.stop().catch(() => {});
    await db.query("CHECKPOINT").catch(() => {});
    await db.close().catch(() => {});
    releaseLock(dataDir);
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("disconnect", stop);
  send({ ready: true, port });
}

main().catch((error: Error) => {
  releaseLock(dataDir);
  send({ error: error.message });
  process.exit(1);
});
