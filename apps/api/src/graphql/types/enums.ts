import { registerEnumType } from "type-graphql";
import {
  AnalysisStatus,
  ApiRole,
  DATABASE_TARGETS,
  EntityKind,
  EventKind,
  JobKind,
  JobStatus,
  ModelKind,
  ModelStatus,
  PlaylistStatus,
  TermKind,
} from "@deepcuts/db";
import { PROJECTION_LIMITS, type ProjectionMethod as ProjectionMethodName } from "@deepcuts/engine/similarity/projection.ts";
import { SIMILARITY_MODELS } from "@deepcuts/engine/similarity/models.ts";
import { TRAINABLE } from "@deepcuts/engine/training/train.ts";
import { NEIGHBOUR_INDEX_KINDS } from "@deepcuts/models/ann";
import { METRIC_NAMES } from "@deepcuts/engine/outcomes/metrics.ts";
import { EXPERIMENT_DESIGNS, EXPERIMENT_STATUSES } from "@deepcuts/engine/experiments/experiments.ts";
import { ARMS, VERDICTS } from "@deepcuts/engine/experiments/statistics.ts";

/**
 * Every closed set the API shows, as a GraphQL enum taken from its one source: the database's
 * enums (prisma/schema.prisma, through @deepcuts/db) or the list the engine works from. Nothing
 * here spells out a set's members, so a value added at the source appears in the schema.
 */

/** An enum object from a list: each value named in SCREAMING_CASE (`embedded-server` is EMBEDDED_SERVER, `streamRate` STREAM_RATE), standing for the value itself. */
function enumOf<T extends string>(values: readonly T[]): Record<string, T> {
  return Object.fromEntries(
    values.map((v) => [
      v
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toUpperCase()
        .replace(/[^A-Z0-9]+/g, "_"),
      v,
    ]),
  );
}

export { AnalysisStatus, ApiRole, EntityKind, EventKind, JobKind, JobStatus, ModelKind, ModelStatus, PlaylistStatus, TermKind };

export const SimilarityModel = enumOf(SIMILARITY_MODELS) as { [K in (typeof SIMILARITY_MODELS)[number]]: K };
export type SimilarityModel = (typeof SIMILARITY_MODELS)[number];
export const ProjectionMethod = enumOf(Object.keys(PROJECTION_LIMITS) as ProjectionMethodName[]) as { [K in ProjectionMethodName]: K };
export type ProjectionMethod = ProjectionMethodName;
/** The model names `startTraining` takes (the engine's TRAINABLE list, e.g. `popularity` as POPULARITY). */
export const TrainableModel = enumOf(TRAINABLE);
export type TrainableModel = (typeof TRAINABLE)[number];
/** Where the database lives (the database package's DATABASE_TARGETS, e.g. `embedded-server` as EMBEDDED_SERVER). */
export const DatabaseTarget = enumOf(DATABASE_TARGETS);
/** How a nearest-neighbour index searches (the models package's NEIGHBOUR_INDEX_KINDS: `exact` as EXACT). */
export const NeighbourIndexKind = enumOf(NEIGHBOUR_INDEX_KINDS);
/** A weekly online metric (the engine's METRIC_NAMES, e.g. `streamRate` as STREAM_RATE). */
export const OutcomeMetricName = enumOf(METRIC_NAMES);
export type OutcomeMetricName = (typeof METRIC_NAMES)[number];

registerEnumType(AnalysisStatus, { name: "AnalysisStatus", description: "Where a track's audio analysis stands: PENDING, OK or FAILED." });
registerEnumType(ApiRole, {
  name: "ApiRole",
  description: "LISTENER: own listener only; CURATOR: read all, blends, previews; ADMIN: also training, generation, keys.",
});
registerEnumType(EntityKind, { name: "EntityKind", description: "What a vector describes: a listener, an artist or a track." });
registerEnumType(EventKind, {
  name: "EventKind",
  description: "STREAM, SAVE, SKIP and PLAYLIST_ADD (added to another playlist of the listener's) name a track; ARTIST_VISIT and DISLIKE a track or an artist.",
});
registerEnumType(JobKind, { name: "JobKind", description: "What a job does: TRAIN models, GENERATE weekly playlists, ANALYSE audio, IMPORT data." });
registerEnumType(JobStatus, {
  name: "JobStatus",
  description:
    "INTERRUPTED: its worker went away mid-run; the job queue runs it again (resumes). DEAD_LETTER: every attempt failed (retries with backoff exhausted).",
});
registerEnumType(ModelKind, { name: "ModelKind", description: "A kind of trained model." });
registerEnumType(ModelStatus, { name: "ModelStatus", description: "Where a model version's training stands: TRAINING, READY or FAILED." });
registerEnumType(PlaylistStatus, { name: "PlaylistStatus", description: "SHORT: the catalogue ran out; COLD_START: made from seed artists." });
registerEnumType(TermKind, { name: "TermKind", description: "A top term's kind: N2 (bigram), NP (noun phrase) or ADJ (adjective)." });
registerEnumType(SimilarityModel, {
  name: "SimilarityModel",
  description:
    "COLLABORATIVE: ALS (else LMF) vectors; TEXT: cultural vectors; AUDIO: audio CNN (else plain features); BLEND: their weighted mean under the active blend.",
});
registerEnumType(ProjectionMethod, { name: "ProjectionMethod", description: "How vectors are projected to 2-D: PCA (linear) or UMAP (neighbourhoods)." });
registerEnumType(TrainableModel, {
  name: "TrainableModel",
  description: "A model `startTraining` can train: POPULARITY, ALS, LMF, TEXT (cultural vectors), CO_MENTION (artists written about together) or AUDIO.",
});
registerEnumType(NeighbourIndexKind, { name: "NeighbourIndexKind", description: "EXACT: a cosine scan of every vector; HNSW: an approximate graph index." });
registerEnumType(DatabaseTarget, {
  name: "DatabaseTarget",
  description: "EMBEDDED: PGlite in the API's process; EMBEDDED_SERVER: PGlite behind a socket server; POSTGRES: a PostgreSQL server.",
});
registerEnumType(OutcomeMetricName, {
  name: "OutcomeMetricName",
  description: "A weekly online metric of served playlists (docs/weekly.md#online-metrics).",
  valuesConfig: {
    REACH: { description: "Listeners who streamed at least one track / listeners served." },
    STREAM_RATE: { description: "Mean over listeners of their share of slots streamed." },
    SAVE_RATE: { description: "Mean over listeners of their share of slots saved or added to a playlist." },
    SKIP_RATE: { description: "Mean over listeners of their share of slots skipped." },
    HIDE_RATE: { description: "Mean over listeners of their share of slots marked not for me." },
    HIDES: { description: "Slots marked not for me (a count)." },
    NEW_ARTIST_STREAM_SHARE: { description: "Streams of artists new to the listener / streams." },
    CAME_BACK: { description: "Of the week's reached listeners, the share reached again the next week." },
  },
});

/** How an experiment compares two blends (the engine's EXPERIMENT_DESIGNS). */
export const ExperimentDesign = enumOf(EXPERIMENT_DESIGNS);
export type ExperimentDesign = (typeof EXPERIMENT_DESIGNS)[number];
export const ExperimentStatus = enumOf(EXPERIMENT_STATUSES);
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];
export const ExperimentArm = enumOf(ARMS);
export type ExperimentArm = (typeof ARMS)[number];
export const ExperimentVerdict = enumOf(VERDICTS);
export type ExperimentVerdict = (typeof VERDICTS)[number];
registerEnumType(ExperimentDesign, {
  name: "ExperimentDesign",
  description:
    "AB: listeners hashed into two arms, each served one blend; INTERLEAVING: team-draft interleaving of both blends inside every playlist (docs/weekly.md#experiments).",
});
registerEnumType(ExperimentStatus, { name: "ExperimentStatus", description: "RUNNING: weekly generation serves it; STOPPED: it no longer shapes playlists." });
registerEnumType(ExperimentArm, {
  name: "ExperimentArm",
  description: "CONTROL: the blend active when the experiment started; CANDIDATE: the version compared with it.",
});
registerEnumType(ExperimentVerdict, {
  name: "ExperimentVerdict",
  description: "COLLECTING: fewer listeners than planned so far, so no verdict (fixed horizon); else the test's result at the plan's alpha.",
});
