import { Field, Float, GraphQLISODateTime, InputType, Int, ObjectType } from "type-graphql";
import { Artist, Track } from "./catalogue.type.ts";
import { ApiRole } from "./curation.type.ts";

import { EventKind } from "./enums.ts";

export { EventKind };

@InputType({ description: "One thing a listener did. eventId is the client's id: a retried batch is counted once." })
export class EventInput {
  @Field(() => String, { description: "Letters, digits and . _ : - only." }) eventId!: string;
  @Field(() => EventKind) kind!: EventKind;
  @Field(() => Int, { nullable: true }) trackId?: number | null;
  @Field(() => Int, { nullable: true }) artistId?: number | null;
  @Field(() => GraphQLISODateTime, { description: "A real date and time with a zone, from 2000-01-01T00:00:00Z to a day after now." }) occurredAt!: Date;
  @Field(() => Int, { nullable: true }) msPlayed?: number | null;
  @Field(() => Int, { nullable: true, description: "The listener's weekly playlist the event came from (with position): the event is that slot's outcome." })
  playlistId?: number | null;
  @Field(() => Int, { nullable: true, description: "0-based position in playlistId." }) position?: number | null;
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

@ObjectType({ description: "One thing a listener did, as recorded." })
export class ListeningEvent {
  @Field(() => String, { description: "The client's id of the event." }) eventId!: string;
  @Field(() => EventKind) kind!: EventKind;
  @Field(() => GraphQLISODateTime) occurredAt!: Date;
  @Field(() => Int, { nullable: true }) msPlayed!: number | null;
  @Field(() => Track, { nullable: true, description: "Null for an event about an artist only." }) track!: Track | null;
  @Field(() => Artist, { nullable: true, description: "The event's artist, or its track's." }) artist!: Artist | null;
}

@ObjectType({ description: "One of a listener's most played artists." })
export class TopArtist {
  @Field(() => Artist) artist!: Artist;
  @Field(() => Int, { description: "Streams of the artist's tracks (and imported artist-level play counts)." }) plays!: number;
  @Field(() => Float, { description: "plays / the listener's plays of all artists, 0..1." }) share!: number;
  @Field(() => Int, { description: "Distinct tracks of this artist the listener has streamed." }) tracksPlayed!: number;
  @Field(() => GraphQLISODateTime) lastPlayedAt!: Date;
}

@ObjectType({ description: "A listener's most played artists, heaviest first, with the totals their shares are of." })
export class TopArtists {
  @Field(() => Int, { description: "Plays of all the listener's artists." }) totalPlays!: number;
  @Field(() => Int, { description: "Artists the listener has played at all." }) totalArtists!: number;
  @Field(() => [TopArtist]) artists!: TopArtist[];
}
