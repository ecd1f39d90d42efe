import type { Database } from "@deepcuts/db";
import type { CulturalDocument, CulturalModel, TermKind } from "@deepcuts/models/text";
import { activeModelVersion, beginModelVersion, failModelVersion, finishModelVersion } from "./model-versions.ts";
import { storeVectors } from "./vector-store.ts";
import type { Progress } from "../progress.ts";

/** The term kinds stored as top terms (the Echo Nest's three); single words only feed the vectors. */
const STORED_KINDS: { kind: TermKind; db: "N2" | "NP" | "ADJ" }[] = [
  { kind: "n2", db: "N2" },
  { kind: "np", db: "NP" },
  { kind: "adj", db: "ADJ" },
];

export interface TrainTextOptions {
  /** Dimensions of the dense (LSA) vectors, capped by the data (default DEFAULT_LSA_DIMS, 100). */
  dims?: number;
  /** Top terms stored per entity and kind (default 10). */
  termsPerKind?: number;
  /** Re-read every document instead of adding only those newer than the active version's. */
  rebuild?: boolean;
  onProgress?: Progress;
  signal?: AbortSignal;
}

export interface TextTrainingMetrics {
  documents: number;
  newDocuments: number;
  artists: number;
  tracksWithText: number;
  tracksInheriting: number;
  terms: number;
  dims: number;
  topTermRows: number;
  incrementalFrom: number | null;
  seconds: number;
}

/** Entity ids inside the cultural model: database ids with their kind, so artist 7 and track 7 stay apart. */
export const artistKey = (id: number) => `artist:${id}`;
export const trackKey = (id: number) => `track:${id}`;
/** The database id inside a cultural model entity id. */
export const entityIdOf = (key: string) => Number(key.slice(key.indexOf(":") + 1));

/** The cultural model's `artistOf` for database ids: a track without text inherits its artist's vector. */
export function culturalArtistOf(artistOfTrack: (trackId: number) => number | undefined): (key: string) => string | undefined {
  return (key) => {
    const artist = key.startsWith("track:") ? artistOfTrack(entityIdOf(key)) : undefined;
    return artist === undefined ? undefined : artistKey(artist);
  };
}

interface DocumentRow {
  id: number;
  entity_kind: "ARTIST" | "TRACK";
  artist_id: number | null;
  track_id: number | null;
  source: string;
  text: string;
}

/**
 * TEXT: cultural vectors and top terms from the documents in the database. When a TEXT version
 * is active, its saved counts are loaded and only the documents added since are tagged (the
 * document frequencies are recomputed from the counts, so they stay consistent); `rebuild`
 * re-reads everything. Stores, as a new active version: the dense LSA vector of every artist
 * with text and of every track (a track without its own text inherits its artist's, marked
 * inherited), the top terms of each kind per entity with text, and the model itself.
 */
export async function trainText(db: Database, options: TrainTextOptions = {}) {
  const started = Date.now();
  const onProgress = options.onProgress ?? (() => {});
  const { CulturalModel, DEFAULT_LSA_DIMS } = await import("@deepcuts/models/text");
  const tracks = await db.query<{ id: number; artist_id: number }>(`SELECT id, artist_id FROM tracks ORDER BY id`);
  const artistOfTrack = new Map(tracks.map((t) => [t.id, t.artist_id]));
  const artistOf = culturalArtistOf((id) => artistOfTrack.get(id));

  const previous = options.rebuild ? null : await activeModelVersion(db, "TEXT");
  const previousParams = (previous?.params ?? {}) as { lastDocumentId?: number };
  const resume = previous?.artifact && typeof previousParams.lastDocumentId === "number" ? previous : null;
  const after = resume ? previousParams.lastDocumentId! : 0;
  const documents = await db.query<DocumentRow>(
    `SELECT id, entity_kind::text AS entity_kind, artist_id, track_id, source::text AS source, text
     FROM documents WHERE id > $1 ORDER BY id`,
    [after],
  );
  const [{ total, last }] = await db.query<{ total: number; last: number | null }>(`SELECT count(*)::int AS total, max(id) AS last FROM documents`);
  if (total === 0) throw new Error("no documents about artists or tracks yet: import texts first ('deepcuts import jsonl-texts:<file>', or 'deepcuts demo')");

  const dims = options.dims ?? DEFAULT_LSA_DIMS;
  const termsPerKind = options.termsPerKind ?? 10;
  const params = { dims, termsPerKind, lastDocumentId: last, incrementalFrom: resume?.id ?? null };
  const id = await beginModelVersion(db, "TEXT", params);
  try {
    const model: CulturalModel = resume ? CulturalModel.load(resume.artifact!, { artistOf }) : new CulturalModel({ artistOf });
    const culturalDocuments: CulturalDocument[] = documents.map((d) => {
      const entityId = d.entity_kind === "ARTIST" ? artistKey(d.artist_id!) : trackKey(d.track_id!);
      return { entityId, kind: d.entity_kind === "ARTIST" ? "artist" : "track", text: d.text };
    });
    await model.addDocuments(culturalDocuments, {
      signal: options.signal,
      onProgress: (done, count) => onProgress(`tagging ${count} new documents`, done, count + 2),
    });
    onProgress("fitting the dense space", culturalDocuments.length, culturalDocuments.length + 2);
    const dense = model.fitDense({ dims, signal: options.signal });

    onProgress("storing vectors and top terms", culturalDocuments.length + 1, culturalDocuments.length + 2);
    const { artists, tracks: trackVectors } = culturalVectors(
      model,
      tracks.map((t) => t.id),
    );
    await storeVectors(db, id, "ARTIST", artists.ids, artists.matrix);
    await storeVectors(db, id, "TRACK", trackVectors.ids, trackVectors.matrix, trackVectors.inherited);
    const topTermRows = await storeTopTerms(db, id, model, termsPerKind);

    const inheriting = trackVectors.inherited.filter(Boolean).length;
    const metrics: TextTrainingMetrics = {
      documents: model.documentCount,
      newDocuments: documents.length,
      artists: artists.ids.length,
      tracksWithText: trackVectors.ids.length - inheriting,
      tracksInheriting: inheriting,
      terms: model.termCount,
      dims: dense.dims,
      topTermRows,
      incrementalFrom: resume?.id ?? null,
      seconds: (Date.now() - started) / 1000,
    };
    await finishModelVersion(db, id, { artifact: model.save() as Uint8Array<ArrayBuffer>, metrics });
    onProgress("done", culturalDocuments.length + 2, culturalDocuments.length + 2);
    return { id, metrics };
  } catch (error) {
    await failModelVersion(db, id, error as Error);
    throw error;
  }
}

/**
 * Dense (LSA) vectors of a fitted model with database ids: every artist with text, and each of
 * `trackIds` that has text or an artist with text (then inherited, flagged).
 */
export function culturalVectors(model: CulturalModel, trackIds: number[]) {
  const dims = model.denseSpace?.dims ?? 0;
  const matrixOf = (keys: string[]) => {
    const data = new Float32Array(keys.length * dims);
    const inherited = keys.map((key, r) => {
      const v = model.denseVector(key)!;
      data.set(v.vector, r * dims);
      return v.inherited;
    });
    return { matrix: { rows: keys.length, cols: dims, data }, inherited };
  };
  const artistIds = model.entityIds("artist").map(entityIdOf);
  const withText = trackIds.filter((id) => model.has(trackKey(id)));
  return {
    artists: { ids: artistIds, ...matrixOf(artistIds.map(artistKey)) },
    tracks: { ids: withText, ...matrixOf(withText.map(trackKey)) },
  };
}

/** The top terms of each stored kind for every entity with its own text, in batches of one statement each. */
async function storeTopTerms(db: Database, versionId: number, model: CulturalModel, perKind: number): Promise<number> {
  const rows: { kind: "ARTIST" | "TRACK"; entity: number; termKind: string; term: string; weight: number }[] = [];
  for (const key of model.entityIds()) {
    const kind = key.startsWith("artist:") ? "ARTIST" : "TRACK";
    for (const { kind: termKind, db: dbKind } of STORED_KINDS) {
      const top = model.topTerms(key, { kind: termKind, n: perKind });
      for (const t of top?.terms ?? []) rows.push({ kind, entity: entityIdOf(key), termKind: dbKind, term: t.term, weight: t.weight });
    }
  }
  for (let start = 0; start < rows.length; start += 20_000) {
    const batch = rows.slice(start, start + 20_000);
    await db.query(
      `INSERT INTO top_terms (model_version_id, entity_kind, entity_id, term_kind, term, weight)
       SELECT $1, t.kind::"EntityKind", t.entity, t.term_kind::"TermKind", t.term, t.weight
       FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::float8[]) AS t(kind, entity, term_kind, term, weight)
       ON CONFLICT DO NOTHING`,
      [versionId, batch.map((r) => r.kind), batch.map((r) => r.entity), batch.map((r) => r.termKind), batch.map((r) => r.term), batch.map((r) => r.weight)],
    );
  }
  return rows.length;
}
