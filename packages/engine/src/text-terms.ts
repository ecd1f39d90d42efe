import type { Database } from "@deepcuts/db";
import { activeModelVersion } from "./training/model-versions.ts";
import { artistKey, entityIdOf } from "./training/text.ts";

export type StoredTermKind = "N2" | "NP" | "ADJ";

export interface ArtistRef {
  id: number;
  name: string;
}

export interface ArtistTerms {
  artist: ArtistRef;
  modelVersionId: number;
  documents: number;
  /** Heaviest first within each kind; weights of a kind sum to at most 1. */
  terms: Record<StoredTermKind, { term: string; weight: number }[]>;
  /** Artists nearest by cultural vector, with the terms both are described by. */
  describedLike: { artist: ArtistRef; score: number; sharedTerms: string[] }[];
}

/**
 * Finds one artist from what a person types: a database id, the exact name (any case), an
 * external key, or a unique part of a name. Several partial matches are an error that lists them.
 */
export async function resolveArtist(db: Database, query: string): Promise<ArtistRef> {
  const text = query.trim();
  if (text === "") throw new Error("name an artist (its name, part of it, or its id)");
  if (/^\d+$/.test(text)) {
    const [byId] = await db.query<ArtistRef>(`SELECT id, name FROM artists WHERE id = $1`, [Number(text)]);
    if (byId) return byId;
  }
  const exact = await db.query<ArtistRef>(`SELECT id, name FROM artists WHERE lower(name) = lower($1) OR external_key = $1 ORDER BY id LIMIT 2`, [text]);
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) throw new Error(`several artists are named '${text}' (ids ${exact.map((a) => a.id).join(", ")}): give the id`);
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  const partial = await db.query<ArtistRef>(`SELECT id, name FROM artists WHERE name ILIKE $1 ORDER BY name, id LIMIT 11`, [`%${escaped}%`]);
  if (partial.length === 1) return partial[0];
  if (partial.length === 0) throw new Error(`no artist matches '${text}'`);
  const shown = partial
    .slice(0, 10)
    .map((a) => `${a.name} (${a.id})`)
    .join(", ");
  throw new Error(`'${text}' matches several artists: ${shown}${partial.length > 10 ? ", ..." : ""}; be more precise or give the id`);
}

/** The active TEXT version's top terms of an artist and the artists described most alike. */
export async function artistTerms(db: Database, artist: ArtistRef, options: { limit?: number; similar?: number } = {}): Promise<ArtistTerms> {
  const limit = options.limit ?? 10;
  const version = await activeModelVersion(db, "TEXT");
  if (!version) throw new Error("no text model is trained yet: run 'deepcuts train --model text'");
  const rows = await db.query<{ term_kind: StoredTermKind; term: string; weight: number }>(
    `SELECT term_kind::text AS term_kind, term, weight FROM (
       SELECT term_kind, term, weight, row_number() OVER (PARTITION BY term_kind ORDER BY weight DESC, term) AS rank
       FROM top_terms WHERE model_version_id = $1 AND entity_kind = 'ARTIST' AND entity_id = $2) ranked
     WHERE rank <= $3 ORDER BY term_kind, rank`,
    [version.id, artist.id, limit],
  );
  const terms: ArtistTerms["terms"] = { N2: [], NP: [], ADJ: [] };
  for (const r of rows) terms[r.term_kind].push({ term: r.term, weight: r.weight });
  const [{ documents }] = await db.query<{ documents: number }>(
    `SELECT count(*)::int AS documents FROM documents WHERE artist_id = $1 AND entity_kind = 'ARTIST'`,
    [artist.id],
  );

  let describedLike: ArtistTerms["describedLike"] = [];
  const similar = options.similar ?? 5;
  if (similar > 0 && version.artifact) {
    const { CulturalModel } = await import("@deepcuts/models/text");
    const model = CulturalModel.load(version.artifact);
    const near = model.similar(artistKey(artist.id), { n: similar, kind: "artist", explain: 3 });
    const ids = near.map((s) => entityIdOf(s.entityId));
    const names = new Map((await db.query<ArtistRef>(`SELECT id, name FROM artists WHERE id = ANY($1::int[])`, [ids])).map((a) => [a.id, a.name]));
    describedLike = near.map((s, i) => ({
      artist: { id: ids[i], name: names.get(ids[i]) ?? `artist ${ids[i]}` },
      score: s.score,
      sharedTerms: s.sharedTerms.map((t) => t.term),
    }));
  }
  return { artist, modelVersionId: version.id, documents, terms, describedLike };
}
