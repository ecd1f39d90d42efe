import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/databases.ts";

describe("in-process PGlite", () => {
  it("runs with 32MB of shared buffers (PGlite's default is 128MB) and PGlite's own start settings", async () => {
    const t = await createTestDatabase("embedded");
    try {
      const settings = await t.db.query<{ name: string; setting: string; unit: string | null }>(
        `SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'search_path', 'max_worker_processes') ORDER BY name`,
      );
      expect(settings).toEqual([
        { name: "max_worker_processes", setting: "0", unit: null },
        { name: "search_path", setting: "public", unit: null },
        { name: "shared_buffers", setting: "4096", unit: "8kB" },
      ]);
    } finally {
      await t.drop();
    }
  });
});
