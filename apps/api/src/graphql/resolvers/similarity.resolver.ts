import { Arg, Authorized, Ctx, FieldResolver, Float, Int, Query, Resolver, Root } from "type-graphql";
import { similarEntities, type SimilarEntity } from "@deepcuts/engine/similarity/similar.ts";
import { similarityGraph } from "@deepcuts/engine/similarity/graph.ts";
import { toGexf } from "@deepcuts/engine/similarity/gexf.ts";
import { embeddingProjectorExport, vectorProjection } from "@deepcuts/engine/similarity/projection.ts";
import { indexCacheFor } from "@deepcuts/engine/similarity/index-cache.ts";
import type { ApiContext } from "../context.ts";
import { positiveId } from "../pagination.ts";
import {
  EmbeddingProjectorExport,
  EntityKind,
  NeighbourIndexStatus,
  ProjectionMethod,
  SimilarArtist,
  SimilarityGraph,
  SimilarityModel,
  SimilarTrack,
  SimilarUser,
  VectorProjection,
} from "../types/similarity.type.ts";
import type { Artist, Track, User } from "../types/catalogue.type.ts";

const scoresOf = (s: SimilarEntity["scores"]) => ({
  collaborative: s.COLLABORATIVE ?? null,
  text: s.TEXT ?? null,
  audio: s.AUDIO ?? null,
  coMention: s.CO_MENTION ?? null,
});
const firstComplexity = ({ args, childComplexity }: { args: { first?: number }; childComplexity: number }) => 5 + (args.first ?? 10) * childComplexity;

@Resolver()
export class SimilarityResolver {
  @Authorized("CURATOR")
  @Query(() => [SimilarTrack], { description: "Most similar tracks under one model, best first.", complexity: firstComplexity })
  async similarTracks(
    @Ctx() ctx: ApiContext,
    @Arg("trackId", () => Int) trackId: number,
    @Arg("model", () => SimilarityModel, { defaultValue: SimilarityModel.BLEND }) model: SimilarityModel,
    @Arg("first", () => Int, { defaultValue: 10, description: "1..100" }) first: number,
  ): Promise<SimilarTrack[]> {
    const found = await similarEntities(ctx.db, { entity: "TRACK", id: positiveId(trackId, "trackId"), model, first });
    const tracks = await ctx.loaders.track.loadMany(found.map((f) => f.id));
    return found.map((f, i) => ({ track: tracks[i] as Track, score: f.score, scores: scoresOf(f.scores), sameArtist: f.sameArtist ?? false }));
  }

  @Authorized("CURATOR")
  @Query(() => [SimilarArtist], { complexity: firstComplexity })
  async similarArtists(
    @Ctx() ctx: ApiContext,
    @Arg("artistId", () => Int) artistId: number,
    @Arg("model", () => SimilarityModel, { defaultValue: SimilarityModel.BLEND }) model: SimilarityModel,
    @Arg("first", () => Int, { defaultValue: 10 }) first: number,
  ): Promise<SimilarArtist[]> {
    const found = await similarEntities(ctx.db, { entity: "ARTIST", id: positiveId(artistId, "artistId"), model, first });
    const artists = await ctx.loaders.artist.loadMany(found.map((f) => f.id));
    return found.map((f, i) => ({
      artist: artists[i] as Artist,
      score: f.score,
      scores: scoresOf(f.scores),
      sharedArticles: f.sharedArticles ?? null,
      explanation: f.explanation ?? null,
    }));
  }

  @Authorized("CURATOR")
  @Query(() => [SimilarUser], { description: "Listeners with similar taste (collaborative vectors).", complexity: firstComplexity })
  async similarUsers(
    @Ctx() ctx: ApiContext,
    @Arg("userId", () => Int) userId: number,
    @Arg("model", () => SimilarityModel, { defaultValue: SimilarityModel.COLLABORATIVE }) model: SimilarityModel,
    @Arg("first", () => Int, { defaultValue: 10 }) first: number,
  ): Promise<SimilarUser[]> {
    const found = await similarEntities(ctx.db, { entity: "USER", id: positiveId(userId, "userId"), model, first });
    const users = await ctx.loaders.user.loadMany(found.map((f) => f.id));
    return found.map((f, i) => ({ user: users[i] as User, score: f.score, scores: scoresOf(f.scores) }));
  }

  @Authorized("CURATOR")
  @Query(() => SimilarityGraph, { description: "k-nearest-neighbour graph around seeds, `depth` rings deep.", complexity: 500 })
  similarityGraph(
    @Ctx() ctx: ApiContext,
    @Arg("seeds", () => [Int], { description: "1..20 ids of `entity`." }) seeds: number[],
    @Arg("entity", () => EntityKind, { defaultValue: EntityKind.TRACK }) entity: EntityKind,
    @Arg("model", () => SimilarityModel, { defaultValue: SimilarityModel.BLEND }) model: SimilarityModel,
    @Arg("k", () => Int, { defaultValue: 5, description: "Neighbours per node, 1..20." }) k: number,
    @Arg("depth", () => Int, { defaultValue: 2, description: "0..3" }) depth: number,
    @Arg("minScore", () => Float, { defaultValue: 0, description: "-1..1" }) minScore: number,
    @Arg("maxNodes", () => Int, { defaultValue: 200, description: "1..500" }) maxNodes: number,
  ) {
    return similarityGraph(ctx.db, { entity, seeds, model, k, depth, minScore, maxNodes });
  }

  @Authorized("CURATOR")
  @Query(() => VectorProjection, { description: "A seeded sample of vectors projected to 2-D (PCA up to 5000 points, UMAP up to 1000).", complexity: 1000 })
  vectorProjection(
    @Ctx() ctx: ApiContext,
    @Arg("model", () => SimilarityModel) model: SimilarityModel,
    @Arg("method", () => ProjectionMethod, { defaultValue: ProjectionMethod.PCA }) method: ProjectionMethod,
    @Arg("sample", () => Int, { defaultValue: 500 }) sample: number,
    @Arg("entity", () => EntityKind, { defaultValue: EntityKind.TRACK }) entity: EntityKind,
    @Arg("seed", () => Int, { defaultValue: 1 }) seed: number,
  ) {
    return vectorProjection(ctx.db, { entity, model, method, sample, seed });
  }

  @Authorized("CURATOR")
  @Query(() => EmbeddingProjectorExport, {
    description: "vectors.tsv and metadata.tsv for TensorFlow's Embedding Projector (up to 20000 rows).",
    complexity: 1000,
  })
  embeddingProjectorExport(
    @Ctx() ctx: ApiContext,
    @Arg("model", () => SimilarityModel) model: SimilarityModel,
    @Arg("sample", () => Int, { defaultValue: 2000 }) sample: number,
    @Arg("entity", () => EntityKind, { defaultValue: EntityKind.TRACK }) entity: EntityKind,
    @Arg("seed", () => Int, { defaultValue: 1 }) seed: number,
  ) {
    return embeddingProjectorExport(ctx.db, { entity, model, sample, seed });
  }

  @Authorized("CURATOR")
  @Query(() => [NeighbourIndexStatus], { description: "The nearest-neighbour indexes in memory, with their recall against exact search." })
  async neighbourIndexes(@Ctx() ctx: ApiContext): Promise<NeighbourIndexStatus[]> {
    return (await indexCacheFor(ctx.db).loaded()).map((s) => ({
      model: s.model,
      entity: s.entity,
      versionId: s.versionId,
      kind: s.index.kind,
      size: s.index.size,
      dim: s.index.dim,
      recallAt10: s.recall.recall,
      buildMs: s.buildMs,
      derived: s.derived,
      building: s.upgrading !== null,
    }));
  }
}

@Resolver(() => SimilarityGraph)
export class SimilarityGraphResolver {
  @FieldResolver(() => String, { description: "The same graph as GEXF 1.3, for Gephi." })
  gexf(@Root() graph: SimilarityGraph): string {
    return toGexf(graph);
  }
}
