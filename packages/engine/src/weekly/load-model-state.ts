import type { Database } from "@deepcuts/db";
import { assembleModelState, type ModelState, type ModelStateInput } from "@deepcuts/models/blend";
import { ImplicitAls } from "@deepcuts/models/cf";
import { activeModelVersion } from "../training/model-versions.ts";
import { decodeItemScores } from "../training/popularity.ts";
import { loadVectors } from "../training/vector-store.ts";

/** The blend's model state (`assembleModelState`, @deepcuts/models/blend) from the active model versions. */
export async function loadModelState(db: Database): Promise<ModelState> {
  return assembleModelState(await loadModelStateInput(db));
}

/** The catalogue and the active versions' models and vectors, before they are laid out (the blend evaluation swaps some of them). */
export async function loadModelStateInput(db: Database): Promise<ModelStateInput> {
  const tracks = await db.query<{ id: number; artist_id: number; title: string }>(`SELECT id, artist_id, title FROM tracks ORDER BY id`);
  const artists = await db.query<{ id: number; name: string }>(`SELECT id, name FROM artists`);
  const input: ModelStateInput = { tracks, artists, popularity: new Map(), collaborative: null, text: null, audio: null };
  const pop = await activeModelVersion(db, "POPULARITY");
  if (pop?.artifact) {
    const { ids, scores } = decodeItemScores(pop.artifact);
    ids.forEach((id, r) => input.popularity.set(id, scores[r]));
    input.popularityVersionId = pop.id;
  } else {
    for (const r of await db.query<{ track_id: number; n: number }>(
      `SELECT track_id, count(*)::int AS n FROM user_track_stats WHERE streams > 0 GROUP BY track_id`,
    )) {
      input.popularity.set(r.track_id, r.n);
    }
  }
  const audioVersion = await activeModelVersion(db, "AUDIO_CNN");
  if (audioVersion) input.audio = { versionId: audioVersion.id, tracks: await loadVectors(db, audioVersion.id, "TRACK") };
  const als = await activeModelVersion(db, "ALS");
  if (als?.artifact) {
    const entityIds = async (kind: string) =>
      Int32Array.from(
        await db.query<{ entity_id: number }>(
          `SELECT entity_id FROM vectors WHERE model_version_id = $1 AND entity_kind = $2::text::"EntityKind" ORDER BY entity_id`,
          [als.id, kind],
        ),
        (r) => r.entity_id,
      );
    input.collaborative = {
      versionId: als.id,
      model: ImplicitAls.load(als.artifact),
      userIds: await entityIds("USER"),
      itemTrackIds: await entityIds("TRACK"),
    };
  }
  const textVersion = await activeModelVersion(db, "TEXT");
  if (textVersion) {
    input.text = {
      versionId: textVersion.id,
      tracks: await loadVectors(db, textVersion.id, "TRACK"),
      artists: await loadVectors(db, textVersion.id, "ARTIST"),
    };
  }
  // Co-mention has artist vectors only: a track takes its artist's (model-state.ts).
  const coMentionVersion = await activeModelVersion(db, "CO_MENTION");
  if (coMentionVersion) input.coMention = { versionId: coMentionVersion.id, artists: await loadVectors(db, coMentionVersion.id, "ARTIST") };
  return input;
}

const current = new WeakMap<Database, { key: string; state: Promise<ModelState> }>();

/**
 * The model state of the active versions, loaded once per process and database and reloaded
 * only when an active version (or the catalogue's size) changes: what the preview, the
 * off-policy estimate and a worker's shards share between calls.
 */
export async function currentModelState(db: Database): Promise<ModelState> {
  const [{ key }] = await db.query<{ key: string }>(
    `SELECT coalesce((SELECT string_agg(id::text, ',' ORDER BY id) FROM model_versions WHERE is_active AND status = 'READY'), '')
            || '|' || (SELECT count(*) FROM tracks) AS key`,
  );
  const cached = current.get(db);
  if (cached?.key === key) return cached.state;
  const state = loadModelState(db);
  current.set(db, { key, state });
  state.catch(() => {
    if (current.get(db)?.state === state) current.delete(db);
  });
  return state;
}
