// Child process that owns the embedded database and serves it over the PostgreSQL protocol.
// Started by startEmbeddedServer(); stops cleanly (checkpoint, close, unlock) when its parent asks
// or goes away, or on SIGTERM/SIGINT (after a grace period while the parent lives).
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { pgliteExtensions } from "./extensions.ts";
import { acquireLock, releaseLock, updateLock } from "./lock.ts";

const [dataDir, portArg] = process.argv.slice(2);
const send = (message: object) => process.send?.(message);

async function main() {
  acquireLock(dataDir, { mode: "server", command: "deepcuts database server" });
  const db = await PGlite.create({ dataDir, extensions: pgliteExtensions });
  keepProtocolSequencesTogether(db);
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
  // Ctrl+C (or a TERM to the process group) reaches this child and its parent together; the
  // parent still has work to finish on the database (interrupting jobs), then stops this server
  // itself. So with a live parent a signal only starts a grace period; alone it stops at once.
  const onSignal = () => {
    if (process.connected) setTimeout(() => void stop(), 30_000);
    else void stop();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  process.on("message", (m: { stop?: boolean }) => void (m?.stop && stop()));
  process.on("disconnect", () => void stop());
  send({ ready: true, port });
}

/**
 * pglite-socket queues the messages of all connections one by one and only keeps a connection
 * to itself while a transaction is open. A query in the extended protocol is several messages
 * (Parse, Bind, Describe, Execute, then Sync) that share the session's unnamed statement, so
 * another connection's Parse landing between them makes the Bind run the wrong statement (seen
 * as "bind message supplies 6 parameters, but prepared statement requires 4", and silently
 * wrong when the counts match). The queue asks `isInTransaction()` to decide whether to stay
 * with the last connection: answer yes also from a Parse/Bind/Execute until that connection's
 * Sync (or a simple Query), so each sequence runs whole.
 */
function keepProtocolSequencesTogether(db: PGlite): void {
  const SEQUENCE_ENDS = new Set([0x53 /* Sync */, 0x51 /* Query */, 0x58 /* Terminate */]);
  let midSequence = false;
  const execProtocolRawStream = db.execProtocolRawStream.bind(db);
  const isInTransaction = db.isInTransaction.bind(db);
  db.execProtocolRawStream = (message, options) => {
    // A startup packet starts with its length (first byte 0): it belongs to no sequence.
    midSequence = message.length > 0 && message[0] !== 0 && !SEQUENCE_ENDS.has(message[0]);
    return execProtocolRawStream(message, options);
  };
  db.isInTransaction = () => midSequence || isInTransaction();
}

main().catch((error: Error) => {
  releaseLock(dataDir);
  send({ error: error.message });
  process.exit(1);
});
