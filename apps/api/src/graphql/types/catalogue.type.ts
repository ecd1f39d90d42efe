import { Field, Float, Int, ObjectType } from "type-graphql";
import { AnalysisStatus, DatabaseTarget, ModelKind, TermKind } from "./enums.ts";
import { Node } from "./node.type.ts";

@ObjectType({ implements: Node, simpleResolvers: true, description: "A performer or band." })
export class Artist {
  @Field(() => Int, {
    name: "databaseId",
    simple: false,
    description: "The artist's database id, as the `artistId` arguments take it (`id` is the global id).",
  })
  id!: number;
  @Field(() => String) externalKey!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) genre!: string | null;
}

@ObjectType({ implements: Node, simpleResolvers: true, description: "A song in the catalogue." })
export class Track {
  @Field(() => Int, { name: "databaseId", simple: false, description: "The track's database id, as the `trackId` arguments take it (`id` is the global id)." })
  id!: number;
  @Field(() => String) externalKey!: string;
  @Field(() => String) title!: string;
  @Field(() => Int) artistId!: number;
  @Field(() => Int) durationMs!: number;
  @Field(() => String, { nullable: true, description: "Release date, YYYY-MM-DD." }) releaseDate!: string | null;
  @Field(() => String, { nullable: true }) genre!: string | null;
}

@ObjectType({ implements: Node, simpleResolvers: true, description: "A listener." })
export class User {
  @Field(() => Int, {
    name: "databaseId",
    simple: false,
    description: "The listener's database id, as the `userId` arguments take it (`id` is the global id).",
  })
  id!: number;
  @Field(() => String) externalKey!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "IANA time zone; the listener's week starts Monday 00:00 there." }) timeZone!: string;
}

@ObjectType({ simpleResolvers: true, description: "Where a page of a connection lies (Relay's PageInfo)." })
export class PageInfo {
  @Field(() => String, {
    nullable: true,
    description: "The first edge's cursor (pass it as `before` with `last` for the page before); null for an empty page.",
  })
  startCursor!: string | null;
  @Field(() => String, { nullable: true, description: "The last edge's cursor (pass it as `after` with `first` for the page after); null for an empty page." })
  endCursor!: string | null;
  @Field(() => Boolean, { description: "More items follow this page. Paging backward, true whenever `before` was given." }) hasNextPage!: boolean;
  @Field(() => Boolean, { description: "More items precede this page. Paging forward, true whenever `after` was given." }) hasPreviousPage!: boolean;
}

@ObjectType({ simpleResolvers: true, description: "Essentia analysis of a track's audio." })
export class AudioFeatures {
  @Field(() => AnalysisStatus, { description: "Where the analysis stands." }) status!: string; // an AnalysisStatus value, as the database stores it
  @Field(() => Float, { nullable: true, description: "Beats per minute." }) tempo!: number | null;
  @Field(() => String, { nullable: true }) key!: string | null;
  @Field(() => String, { nullable: true, description: "major or minor" }) mode!: string | null;
  @Field(() => Float, { nullable: true, description: "Integrated loudness, LUFS." }) loudness!: number | null;
  @Field(() => Float, { nullable: true }) danceability!: number | null;
  @Field(() => Float, { nullable: true }) energy!: number | null;
  @Field(() => Float, { nullable: true }) dynamicComplexity!: number | null;
  @Field(() => Float, { nullable: true, description: "Onsets per second." }) onsetRate!: number | null;
}

@ObjectType({ simpleResolvers: true, description: "A weighted term from the texts about an artist or track (active TEXT model)." })
export class TopTerm {
  @Field(() => TermKind, { description: "What kind of term it is." }) termKind!: string; // a TermKind value, as the database stores it
  @Field(() => String) term!: string;
  @Field(() => Float) weight!: number;
  @Field(() => Boolean, { description: "True for a track without text of its own: the term is its artist's." }) inherited!: boolean;
}

@ObjectType({ simpleResolvers: true, description: "An entity's vector under one active model version." })
export class StoredVector {
  @Field(() => Int) modelVersionId!: number;
  @Field(() => ModelKind, { description: "The kind of the model version." }) modelKind!: string; // a ModelKind value, as the database stores it
  @Field(() => Int) dim!: number;
  @Field(() => [Float]) values!: number[];
  @Field(() => Boolean, { description: "Taken from the artist because the track has no text of its own." }) inherited!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class Health {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => String) version!: string;
  @Field(() => DatabaseTarget, { description: "Where the database lives." }) database!: string; // a DATABASE_TARGETS value
}
