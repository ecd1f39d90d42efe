import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedServer, type EmbeddedServer } from "@deepcuts/db";

let home: string;
let server: EmbeddedServer;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "deepcuts-socket-"));
  server = await startEmbeddedServer(home);
});

afterAll(async () => {
  await server?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe("the embedded database behind its socket server", () => {
  it("keeps each connection's parse/bind/execute together while many connections send parameterized queries at once", async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 6 });
    try {
      // Statements with different parameter counts, so a bind landing on another connection's
      // statement fails loudly; each answer is checked against its own inputs.
      const work = Array.from({ length: 300 }, async (_, i) => {
        if (i % 3 === 0) {
          const r = await pool.query<{ s: number }>("SELECT ($1::int + $2::int) AS s", [i, 1]);
          expect(r.rows[0].s).toBe(i + 1);
        } else if (i % 3 === 1) {
          const r = await pool.query<{ s: string }>("SELECT ($1::text || $2::text || $3::text || $4::text) AS s", ["a", String(i), "b", "c"]);
          expect(r.rows[0].s).toBe(`a${i}bc`);
        } else {
          const big = "x".repeat(200_000 + i);
          const r = await pool.query<{ n: number; tag: number }>("SELECT length($1::text) AS n, $2::int AS tag, $3::int + $4::int + $5::int + $6::int AS sum", [
            big,
            i,
            1,
            2,
            3,
            4,
          ]);
          expect(r.rows[0]).toMatchObject({ n: big.length, tag: i });
        }
      });
      await Promise.all(work);
    } finally {
      await pool.end();
    }
  });
});
