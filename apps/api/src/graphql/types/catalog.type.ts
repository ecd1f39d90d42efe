import { Field, Float, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "A performer or band." })
export class Artist {
  @Field(() => Int) id!: number;
  @Field(() => String) externalKey!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) genre!: string | null;
}

@ObjectType({ description: "A song in the catalogue." })
export class Track {
  @Field(() => Int) id!: number;
  @Field(() => String) externalKey!: string;
  @Field(() => String) title!: string;
  @Field(() => Int) artistId!: number;
  @Field(() => Int) durationMs!: number;
  @Field(() => String, { nullable: true, description: "Release date, YYYY-MM-DD." }) releaseDate!: string | null;
  @Field(() => String, { nullable: true }) genre!: string | null;
}

@ObjectType({ description: "A listener." })
export class User {
  @Field(() => Int) id!: number;
  @Field(() => String) externalKey!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "IANA time zone; the listener's week starts Monday 00:00 there." }) timeZone!: string;
}

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field(() => String, { nullable: true }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

@ObjectType({ simpleResolvers: true, description: "Essentia analysis of a track's audio." })
export class AudioFeatures {
  @Field(() => String, { description: "PENDING, OK or FAILED" }) status!: string;
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
  @Field(() => String, { description: "N2 (bigram), NP (noun phrase) or ADJ (adjective)" }) termKind!: string;
  @Field(() => String) term!: string;
  @Field(() => Float) weight!: number;
  @Field(() => Boolean, { description: "True for a track without text of its own: the term is its artist's." }) inherited!: boolean;
}

@ObjectType({ simpleResolvers: true, description: "An entity's vector under one active model version." })
export class StoredVector {
  @Field(() => Int) modelVersionId!: number;
  @Field(() => String, { description: "ALS, LMF, TEXT, AUDIO_FEATURES or AUDIO_CNN" }) modelKind!: string;
  @Field(() => Int) dim!: number;
  @Field(() => [Float]) values!: number[];
  @Field(() => Boolean, { description: "Taken from the artist because the track has no text of its own." }) inherited!: boolean;
}

@ObjectType({ simpleResolvers: true })
export class Health {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => String) version!: string;
  @Field(() => String, { description: "embedded, embedded-server or postgres" }) database!: string;
}
