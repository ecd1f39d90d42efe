import { Field, Int, ObjectType } from "type-graphql";

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

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

@ObjectType()
export class TrackEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Track) node!: Track;
}

@ObjectType()
export class TrackConnection {
  @Field(() => [TrackEdge]) edges!: TrackEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@ObjectType()
export class UserEdge {
  @Field(() => String) cursor!: string;
  @Field(() => User) node!: User;
}

@ObjectType()
export class UserConnection {
  @Field(() => [UserEdge]) edges!: UserEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@ObjectType()
export class Health {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => String) version!: string;
  @Field(() => String, { description: "embedded, embedded-server or postgres" }) database!: string;
}
