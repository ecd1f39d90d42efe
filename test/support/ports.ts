import { createServer } from "node:net";

/**
 * A port nothing listens on right now, as the operating system hands one out. A random number
 * instead can fall in the ephemeral range (32768-60999 on Linux) and meet a client socket already
 * bound there (a `deepcuts serve` child once failed so with EADDRINUSE).
 */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
