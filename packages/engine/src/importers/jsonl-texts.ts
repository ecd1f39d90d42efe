import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { Database } from "@deepcuts/db";
import { insertDocuments, type DocumentRow } from "../ingest.ts";
import { ImportError, type ImportReport } from "./import-error.ts";
import type { Progress } from "../progress.ts";

const SOURCES = new Set(["bio", "review", "blog", "tag", "other"]);

/**
 * Imports texts from JSON lines: {"entity": "artist" | "track", "key": "<external key>",
 * "text": "...", "source"?: "bio" | "review" | "blog" | "tag" | "other", "id"?: "<unique id>"}.
 * The entity must exist. Checked whole before one transaction writes it; a text already
 * imported (same id, or same entity, source and text) is not added again.
 */
export async function importTextsJsonl(db: Database, path: string, onProgress: Progress = () => {}): Promise<ImportReport> {
  const started = Date.now();
  const file = basename(path);
  const lines = (await readFile(path, "utf8")).split(/\r?\n/);
  const parsed: { line: number; entity: "artist" | "track"; key: string; text: string; source: string; id: string }[] = [];
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(raw) as Record<string, unknown>;
    } catch (error) {
      throw new ImportError(file, line, `not valid JSON: ${(error as Error).message}`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ImportError(file, line, "each line must be a JSON object");
    const { entity, key, text } = value;
    const source = value.source ?? "other";
    if (entity !== "artist" && entity !== "track") throw new ImportError(file, line, `entity must be "artist" or "track", got ${JSON.stringify(entity)}`);
    if (typeof key !== "string" || key === "") throw new ImportError(file, line, "key must be a non-empty string");
    if (typeof text !== "string" || text.trim() === "") throw new ImportError(file, line, "text must be a non-empty string");
    if (typeof source !== "string" || !SOURCES.has(source))
      throw new ImportError(file, line, `source must be one of ${[...SOURCES].join(", ")}, got ${JSON.stringify(source)}`);
    const id = typeof value.id === "string" && value.id ? value.id : createHash("sha1").update(`${entity}|${key}|${source}|${text}`).digest("hex");
    parsed.push({ line, entity, key, text, source, id });
  });
  const inserted = await db.transaction(async (query) => {
    onProgress("resolving entities", 0, 2);
    const ids = new Map<string, number>();
    for (const kind of ["artist", "track"] as const) {
      const keys = [...new Set(parsed.filter((p) => p.entity === kind).map((p) => p.key))];
      const rows = await query<{ id: number; external_key: string }>(`SELECT id, external_key FROM ${kind}s WHERE external_key = ANY($1::text[])`, [keys]);
      for (const r of rows) ids.set(`${kind}:${r.external_key}`, r.id);
    }
    const docs: DocumentRow[] = parsed.map((p) => {
      const id = ids.get(`${p.entity}:${p.key}`);
      if (id === undefined) throw new ImportError(file, p.line, `unknown ${p.entity} '${p.key}'`);
      return {
        externalKey: `text:${p.id}`,
        entityKind: p.entity === "artist" ? "ARTIST" : "TRACK",
        artistId: p.entity === "artist" ? id : null,
        trackId: p.entity === "track" ? id : null,
        source: p.source.toUpperCase() as DocumentRow["source"],
        text: p.text,
      };
    });
    onProgress("writing", 1, 2);
    return insertDocuments(query, docs);
  });
  onProgress("done", 2, 2);
  return {
    source: `jsonl:${path}`,
    created: { documents: inserted },
    skipped: { alreadyImported: parsed.length - inserted },
    seconds: (Date.now() - started) / 1000,
  };
}
