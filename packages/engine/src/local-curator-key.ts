import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Database } from "@deepcuts/db";
import { createApiKey, findApiKey } from "./keys.ts";

/**
 * The curator key `npm start` prints: kept in $DEEPCUTS_HOME/curator-key.txt (readable only by
 * its owner) so restarts print the same key; made anew if it was revoked or the database reset.
 */
export async function ensureLocalCuratorKey(db: Database, home: string): Promise<string> {
  const file = join(home, "curator-key.txt");
  if (existsSync(file)) {
    const key = readFileSync(file, "utf8").trim();
    const found = await findApiKey(db, key);
    if (found?.role === "CURATOR") return key;
  }
  const created = await createApiKey(db, { name: "local curator (npm start)", role: "CURATOR" });
  mkdirSync(home, { recursive: true });
  writeFileSync(file, `${created.key}\n`, { mode: 0o600 });
  return created.key;
}
