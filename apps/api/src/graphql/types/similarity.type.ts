import { Field, Float, Int, ObjectType } from "type-graphql";
import { Artist, Track, User } from "./catalogue.type.ts";

import { EntityKind, NeighbourIndexKind, ProjectionMethod, SimilarityModel } from "./enums.ts";

export { EntityKind, ProjectionMethod, SimilarityModel };

@ObjectType({ simpleResolvers: true, description: "Cosine similarity under each model (null: that model has no vector for one of the two)." })
export class SimilarityScores {
  @Field(() => Float, { nullable: true }) collaborative!: number | null;
  @Field(() => Float, { nullable: true }) text!: number | null;
  @Field(() => Float, { nullable: true }) audio!: number | null;
  @Field(() => Float, { nullable: true, description: "Artists only: which artists music writing names together (CO_MENTION)." }) coMention!: number | null;
}

@ObjectType()
export class SimilarTrack {
  @Field(() => Track) track!: Track;
  @Field(() => Float) score!: number;
  @Field(() => SimilarityScores) scores!: SimilarityScores;
  @Field(() => Boolean, {
    description:
      "TEXT only: by the seed track's artist. A track without text of its own carries its artist's vector, so these score 1 by construction and are listed first.",
  })
  sameArtist!: boolean;
}

@ObjectType()
export class SimilarArtist {
  @Field(() => Artist) artist!: Artist;
  @Field(() => Float) score!: number;
  @Field(() => SimilarityScores) scores!: SimilarityScores;
  @Field(() => Int, { nullable: true, description: "CO_MENTION only: crawled articles that name both artists." })
  sharedArticles!: number | null;
  @Field(() => String, { nullable: true, description: 'CO_MENTION only: why, e.g. "written about with Burial in 12 articles".' })
  explanation!: string | null;
}

@ObjectType()
export class SimilarUser {
  @Field(() => User) user!: User;
  @Field(() => Float) score!: number;
  @Field(() => SimilarityScores) scores!: SimilarityScores;
}

@ObjectType({ simpleResolvers: true })
export class GraphNode {
  @Field(() => Int) id!: number;
  @Field(() => String) label!: string;
  @Field(() => Int, { description: "Ring around the seeds: 0 for a seed." }) depth!: number;
  @Field(() => Boolean) seed!: boolean;
}

@ObjectType({ simpleResolvers: true, description: "Undirected: source < target." })
export class GraphEdge {
  @Field(() => Int) source!: number;
  @Field(() => Int) target!: number;
  @Field(() => Float) score!: number;
}

@ObjectType({ description: "k-nearest-neighbour graph around seed nodes." })
export class SimilarityGraph {
  @Field(() => EntityKind) entity!: EntityKind;
  @Field(() => SimilarityModel) model!: SimilarityModel;
  @Field(() => [GraphNode]) nodes!: GraphNode[];
  @Field(() => [GraphEdge]) edges!: GraphEdge[];
}

@ObjectType({ simpleResolvers: true })
export class ProjectedPoint {
  @Field(() => Int) id!: number;
  @Field(() => String) label!: string;
  @Field(() => String, { nullable: true }) genre!: string | null;
  @Field(() => Float, { nullable: true, description: "Beats per minute (tracks); null until the audio is analysed." }) tempo!: number | null;
  @Field(() => String, { nullable: true, description: "Musical key, e.g. A (tracks); null until analysed." }) key!: string | null;
  @Field(() => String, { nullable: true, description: "major or minor (tracks); null until analysed." }) mode!: string | null;
  @Field(() => Boolean, { description: "No listens yet: a track nobody streamed, an artist nobody played, a listener who streamed nothing." })
  coldStart!: boolean;
  @Field(() => String, {
    nullable: true,
    description: "Heaviest top term under the active TEXT model (a track without terms of its own: its artist's); null without one.",
  })
  topTag!: string | null;
  @Field(() => Float) x!: number;
  @Field(() => Float) y!: number;
}

@ObjectType({ description: "A sample of vectors projected to 2-D." })
export class VectorProjection {
  @Field(() => EntityKind) entity!: EntityKind;
  @Field(() => SimilarityModel) model!: SimilarityModel;
  @Field(() => ProjectionMethod) method!: ProjectionMethod;
  @Field(() => Int) versionId!: number;
  @Field(() => [ProjectedPoint]) points!: ProjectedPoint[];
  @Field(() => [Float], { nullable: true, description: "PCA: share of variance of each axis." }) explainedVariance!: number[] | null;
}

@ObjectType({ description: "Files for projector.tensorflow.org: load vectorsTsv, then metadataTsv." })
export class EmbeddingProjectorExport {
  @Field(() => Int) rows!: number;
  @Field(() => Int) dim!: number;
  @Field(() => Int) versionId!: number;
  @Field(() => String, { description: "vectors.tsv: unit-length vectors, one tab-separated row each, no header." }) vectorsTsv!: string;
  @Field(() => String, { description: "metadata.tsv: header id, name, genre; rows in the same order." }) metadataTsv!: string;
}

@ObjectType({ description: "An in-memory nearest-neighbour index serving one model version." })
export class NeighbourIndexStatus {
  @Field(() => SimilarityModel) model!: SimilarityModel;
  @Field(() => EntityKind) entity!: EntityKind;
  @Field(() => Int) versionId!: number;
  @Field(() => NeighbourIndexKind, { description: "How the index searches." }) kind!: string; // a NEIGHBOUR_INDEX_KINDS value
  @Field(() => Int) size!: number;
  @Field(() => Int) dim!: number;
  @Field(() => Float, { description: "Recall@10 against exact search (1 for exact)." }) recallAt10!: number;
  @Field(() => Float) buildMs!: number;
  @Field(() => Boolean, { description: "Artist vectors averaged from tracks." }) derived!: boolean;
  @Field(() => Boolean, { description: "An HNSW graph is being built; the exact index serves meanwhile." }) building!: boolean;
}
