import { Field, GraphQLISODateTime, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ApiRole } from "./curation.type.ts";

export enum EventKind { STREAM = "STREAM", SAVE = "SAVE", ARTIST_VISIT = "ARTIST_VISIT", SKIP = "SKIP", DISLIKE = "DISLIKE" }
registerEnumType(EventKind, { name: "EventKind", description: "STREAM, SAVE and SKIP name a track; ARTIST_VISIT and DISLIKE a track or an artist." });

@InputType({ description: "One thing a listener did. eventId is the client's id: a retried batch is counted once." })
export class EventInput {
  @Field(() => String) eventId!: string;
  @Field(() => EventKind) kind!: EventKind;
  @Field(() => Int, { nullable: true }) trackId?: number | null;
  @Field(() => Int, { nullable: true }) artistId?: number | null;
  @Field(() => GraphQLISODateTime) occurredAt!: Date;
  @Field(() => Int, { nullable: true }) msPlayed?: number | null;
}

@ObjectType()
export class EventBatchResult {
  @Field(() => Int) received!: number;
  @Field(() => Int, { description: "Events seen for the first time." }) recorded!: number;
  @Field(() => Int, { description: "Events already recorded under the same eventId (retries): ignored." }) duplicates!: number;
}

@ObjectType({ description: "Who the API key belongs to." })
export class Viewer {
  @Field(() => ApiRole) role!: ApiRole;
  @Field(() => Int, { nullable: true, description: "The listener of a LISTENER key." }) userId!: number | null;
}
