import { createRequire } from "node:module";
import type { GraphQLArgument, GraphQLField, GraphQLInputField, GraphQLSchema } from "graphql";

// graphql's CommonJS entry, the copy type-graphql builds the schema with (see input-limits.ts).
const { isEnumType, isInputObjectType, isInterfaceType, isObjectType } = createRequire(import.meta.url)("graphql") as typeof import("graphql");

/**
 * Descriptions of the fields and arguments whose decorators carry none, by "Type.field" and
 * "Type.field(argument)"; then ARGUMENTS by argument name alone (an argument means the same
 * wherever it appears). describeSchema fills them in when the schema is built; the schema
 * lint test (test/api/schema-lint.test.ts) fails on anything left without a description.
 */
const FIELDS: Record<string, string> = {
  Query: "Everything a key may read. Single lookups are nullable: one that fails is null with its error in `errors`, and the rest of the response stands.",
  Mutation: "Everything a key may change.",
  Subscription: "Live updates over graphql-ws (the API's port, path /graphql).",
  "Query.similarArtists": "Most similar artists under one model, best first.",
  EntityKind: "What a vector describes: a listener, an artist or a track.",
  JobKind: "What a job does: TRAIN models, GENERATE weekly playlists, ANALYZE audio, IMPORT data.",
  ModelKind: "A kind of trained model.",
  ProjectionMethod: "How vectors are projected to 2-D: PCA (linear) or UMAP (neighbourhoods).",
  "ActiveModel.kind": "The model kind.", "ActiveModel.versionId": "The active version's database id.", "ActiveModel.finishedAt": "When its training finished.",
  "ApiKey.name": "A name for the key (who or what uses it).", "ApiKey.role": "What the key may do.", "ApiKey.userId": "The listener of a LISTENER key.",
  "ApiKey.createdAt": "When it was issued.", "ApiKey.revokedAt": "When it was revoked; null while it works.",
  "Artist.externalKey": "The artist's id in the system it came from (demo, Last.fm, CSV).", "Artist.name": "The artist's name.", "Artist.genre": "Main genre, e.g. techno; null when unknown.",
  "Artist.topTerms": "Heaviest terms under the active TEXT model (empty before one is trained).", "Artist.vectors": "The artist's vector under each active model version.",
  "AudioFeatures.key": "Musical key, e.g. A or C#; null until analysed.", "AudioFeatures.danceability": "Essentia's danceability, 0..3.",
  "AudioFeatures.energy": "Mean signal energy, 0..1.", "AudioFeatures.dynamicComplexity": "Essentia's dynamic complexity, in dB.",
  "BlendConfig.version": "Version number, 1 and up; the newest is the highest.", "BlendConfig.weights": "The weight of each source.",
  "BlendConfig.constraints": "The playlist rules.", "BlendConfig.author": "The name of the key that stored it.", "BlendConfig.note": "Why it was made.",
  "BlendConfig.isActive": "Whether the weekly generation uses it now.", "BlendConfig.createdAt": "When it was stored.",
  BlendConstraints: "The rules every playlist of a blend follows.", "BlendConstraints.excludeSkipped": "Leave out tracks the listener skipped.",
  BlendConstraintsInput: "The rules a playlist follows; ranges as in BlendConstraints.",
  "BlendConstraintsInput.playlistSize": "Songs per playlist, 1..100.", "BlendConstraintsInput.artistCap": "At most this many tracks by one artist, 1..30.",
  "BlendConstraintsInput.knownArtistShare": "Largest share by artists the listener already plays, 0..1.", "BlendConstraintsInput.diversity": "0 = pure score, 1 = pure diversity.",
  "BlendConstraintsInput.excludeSkipped": "Leave out tracks the listener skipped.",
  "BlendWeights.collaborative": "Weight of collaborative filtering (ALS, else LMF).", "BlendWeights.text": "Weight of cultural (text) similarity.",
  "BlendWeights.audio": "Weight of audio similarity.", "BlendWeights.popularity": "Weight of popularity.", "BlendWeights.novelty": "Weight of novelty (lesser-played tracks).",
  BlendWeightsInput: "The weight of each source, 0..10 each.",
  "BlendWeightsInput.collaborative": "Weight of collaborative filtering, 0..10.", "BlendWeightsInput.text": "Weight of cultural (text) similarity, 0..10.",
  "BlendWeightsInput.audio": "Weight of audio similarity, 0..10.", "BlendWeightsInput.popularity": "Weight of popularity, 0..10.", "BlendWeightsInput.novelty": "Weight of novelty, 0..10.",
  CreatedApiKey: "A key just issued, with its secret (shown only here).", "CreatedApiKey.id": "The key's database id (its ApiKey's `databaseId`).",
  "CreatedApiKey.prefix": "First characters of the key, to recognise it.", "CreatedApiKey.role": "What the key may do.", "CreatedApiKey.userId": "The listener of a LISTENER key.",
  "EmbeddingProjectorExport.rows": "Rows in both files.", "EmbeddingProjectorExport.dim": "Dimensions of each vector.", "EmbeddingProjectorExport.versionId": "The model version the vectors come from.",
  EventBatchResult: "What a batch of events did.", "EventBatchResult.received": "Events in the batch.",
  "EventInput.kind": "What the listener did.", "EventInput.trackId": "The track (database id), for every kind but an artist-only ARTIST_VISIT or DISLIKE.",
  "EventInput.artistId": "The artist (database id), for ARTIST_VISIT or DISLIKE of an artist.", "EventInput.msPlayed": "Milliseconds played, for a STREAM.",
  GraphNode: "A node of a similarity graph: a track, artist or listener by database id.", "GraphNode.id": "The entity's database id.",
  "GraphNode.label": "The track's title, the artist's or listener's name.", "GraphNode.seed": "One of the seeds asked for.",
  Health: "Whether the API is up, and on what.", "Health.ok": "Always true when the API answers.", "Health.version": "The API's version.",
  "Job.kind": "What the job does.", "Job.status": "Where the job stands.", "Job.params": "The job's parameters as started.", "Job.done": "Units of work done so far.",
  "Job.total": "Units of work in all (0 until known).", "Job.message": "The latest progress message.", "Job.result": "The job's result once it succeeded.",
  "Job.error": "Why it failed.", "Job.createdAt": "When it was queued.", "Job.startedAt": "When a worker started it.", "Job.finishedAt": "When it finished.",
  "ListeningEvent.kind": "What the listener did.", "ListeningEvent.occurredAt": "When it happened.", "ListeningEvent.msPlayed": "Milliseconds played (streams).",
  "ModelScores.collaborative": "Collaborative filtering score.", "ModelScores.text": "Cultural (text) score.", "ModelScores.audio": "Audio score.",
  "ModelScores.popularity": "Popularity score.", "ModelScores.novelty": "Novelty score.",
  "ModelVersion.kind": "The model kind.", "ModelVersion.status": "Where its training stands.", "ModelVersion.isActive": "Whether it serves now (one active version per kind).",
  "ModelVersion.params": "The training parameters.", "ModelVersion.error": "Why training failed.", "ModelVersion.vectorCount": "Vectors it stores.",
  "ModelVersion.createdAt": "When training started.", "ModelVersion.finishedAt": "When training finished.",
  "NeighbourIndexStatus.model": "The model whose vectors it indexes.", "NeighbourIndexStatus.entity": "What the vectors describe.",
  "NeighbourIndexStatus.versionId": "The model version's database id.", "NeighbourIndexStatus.size": "Vectors in the index.",
  "NeighbourIndexStatus.dim": "Dimensions of each vector.", "NeighbourIndexStatus.buildMs": "Milliseconds it took to build.",
  "Overview.listeners": "Listeners.", "Overview.artists": "Artists.", "Overview.tracks": "Tracks.", "Overview.events": "Listening events recorded.",
  "Overview.documents": "Texts about artists and tracks.", "Overview.analysedTracks": "Tracks whose audio is analysed.", "Overview.playlists": "Weekly playlists made.",
  "Overview.activeModels": "The active version of each model kind.", "Overview.activeBlendVersion": "The active blend configuration's version.",
  "PlaylistItem.trackId": "The track's database id.", "PlaylistItem.track": "The song.", "PlaylistItem.durationMs": "The track's length in milliseconds.",
  "PlaylistItem.score": "The blended score it was chosen with.", "PlaylistItem.scores": "Each model's part of the score.",
  "PlaylistPreview.userId": "The listener's database id.", "PlaylistPreview.status": "Whether the preview is complete.", "PlaylistPreview.items": "The songs, in order.",
  "PreviewItem.position": "0-based.", "PreviewItem.trackId": "The track's database id.", "PreviewItem.track": "The song.", "PreviewItem.score": "The blended score.",
  "PreviewItem.scores": "Each model's part of the score.", "PreviewItem.reason": "Why this song is here, in words for the listener.",
  ProjectedPoint: "One vector of a projection, at its 2-D position.", "ProjectedPoint.id": "The entity's database id.",
  "ProjectedPoint.label": "The track's title, the artist's or listener's name.", "ProjectedPoint.genre": "The genre, when known.",
  "ProjectedPoint.x": "First coordinate.", "ProjectedPoint.y": "Second coordinate.",
  SimilarArtist: "An artist similar to the one asked about.", "SimilarArtist.artist": "The similar artist.",
  SimilarTrack: "A track similar to the one asked about.", "SimilarTrack.track": "The similar track.",
  SimilarUser: "A listener with similar taste.", "SimilarUser.user": "The similar listener.",
  "SimilarArtist.score": "Cosine similarity under the model asked for, -1..1.", "SimilarTrack.score": "Cosine similarity under the model asked for, -1..1.",
  "SimilarUser.score": "Cosine similarity under the model asked for, -1..1.",
  "SimilarArtist.scores": "Similarity under each model.", "SimilarTrack.scores": "Similarity under each model.", "SimilarUser.scores": "Similarity under each model.",
  "SimilarityGraph.entity": "What the nodes are.", "SimilarityGraph.model": "The model whose similarity the edges show.",
  "SimilarityGraph.nodes": "The seeds and their neighbours.", "SimilarityGraph.edges": "Neighbour links, each once.",
  "SimilarityScores.collaborative": "Under collaborative vectors.", "SimilarityScores.text": "Under cultural (text) vectors.", "SimilarityScores.audio": "Under audio vectors.",
  "StoredVector.modelVersionId": "The model version's database id.", "StoredVector.dim": "Dimensions.", "StoredVector.values": "The vector's components.",
  "TopArtist.artist": "The artist.", "TopArtist.lastPlayedAt": "When the listener last played them.", "TopArtists.artists": "The artists, heaviest first.",
  "TopTerm.term": "The term.", "TopTerm.weight": "Its weight (TF-IDF under the active TEXT model).",
  "Track.externalKey": "The track's id in the system it came from (demo, Last.fm, CSV).", "Track.title": "The track's title.",
  "Track.artistId": "The artist's database id.", "Track.artist": "The track's artist.", "Track.durationMs": "Length in milliseconds.", "Track.genre": "Genre, when known.",
  "Track.topTerms": "Heaviest terms under the active TEXT model.",
  "User.externalKey": "The listener's id in the system they came from.", "User.name": "The listener's name.", "User.vectors": "The listener's vector under each active model version.",
  "VectorProjection.entity": "What the points are.", "VectorProjection.model": "The model whose vectors were projected.", "VectorProjection.method": "The projection method.",
  "VectorProjection.versionId": "The model version's database id.", "VectorProjection.points": "The projected points.",
  "Viewer.role": "What the key may do.",
  "GraphEdge.source": "One end's database id (the smaller).", "GraphEdge.target": "The other end's database id.", "GraphEdge.score": "Cosine similarity, -1..1.",
  "DeletedListener.userId": "The deleted listener's database id.", "DeletedListener.externalKey": "The deleted listener's external key.",
  "DeletedRows.table": "The table rows were deleted from.", "DeletedRows.rows": "How many rows were deleted from it.",
  "WeeklyPlaylist.userId": "The listener's database id.", "WeeklyPlaylist.user": "The listener.", "WeeklyPlaylist.status": "Whether the playlist is complete.",
  "WeeklyPlaylist.blendConfigId": "The blend configuration it was made with.", "WeeklyPlaylist.generatedAt": "When it was made.",
  "Query.similarTracks(model)": "The model whose vectors to compare.", "Query.similarArtists(model)": "The model whose vectors to compare.",
  "Query.similarUsers(model)": "The model whose vectors to compare.", "Query.similarityGraph(model)": "The model whose vectors to compare.",
  "Query.vectorProjection(model)": "The model whose vectors to project.", "Query.embeddingProjectorExport(model)": "The model whose vectors to export.",
  "Query.jobs(kind)": "Only jobs of this kind.", "Query.jobs(status)": "Only jobs in this status.", "Query.modelVersions(kind)": "Only versions of this kind.",
  "Query.tracks(artistId)": "Only this artist's tracks (database id).",
};

/** Arguments described by name alone. */
const ARGUMENTS: Record<string, string> = {
  id: "The object's database id (its `databaseId` field).",
  userId: "The listener's database id.",
  trackId: "The track's database id.",
  artistId: "The artist's database id.",
  first: "How many to return.",
  weights: "The weight of each source.",
  constraints: "The playlist rules.",
  role: "What the key may do.",
  entity: "Tracks, artists or listeners.",
  method: "PCA or UMAP.",
  sample: "How many vectors to sample.",
  seed: "Seed of the random sample: the same seed gives the same sample.",
};

/** Fills in the descriptions above where a type, field or argument has none of its own. */
export function describeSchema(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    type.description ??= FIELDS[type.name] ?? null;
    if (isEnumType(type)) continue;
    if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) continue;
    const fields = Object.values(type.getFields() as Record<string, GraphQLField<unknown, unknown> | GraphQLInputField>);
    for (const field of fields) {
      field.description ??= FIELDS[`${type.name}.${field.name}`] ?? null;
      const args: readonly GraphQLArgument[] = "args" in field ? field.args : [];
      for (const arg of args) arg.description ??= FIELDS[`${type.name}.${field.name}(${arg.name})`] ?? ARGUMENTS[arg.name] ?? null;
    }
  }
}
