import { Field, Float, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "What one week's playlists did to the catalogue and for listeners' discovery, measured against listening before that week." })
export class WeeklySummary {
  @Field(() => String, { description: "The listeners' local Monday of the playlists, YYYY-MM-DD." }) weekStart!: string;
  @Field(() => Int, { description: "Playlists made for the week." }) playlists!: number;
  @Field(() => Int, { description: "Of those, made from seed artists (the listener had no history)." }) coldStartPlaylists!: number;
  @Field(() => Int, { description: "Of those, shorter than asked (the catalogue ran out)." }) shortPlaylists!: number;
  @Field(() => Int, { description: "Playlist slots filled." }) slots!: number;
  @Field(() => Int, { description: "Distinct tracks placed." }) tracksPlaced!: number;
  @Field(() => Int, { description: "Tracks in the catalogue now." }) catalogueTracks!: number;
  @Field(() => Float, { description: "Catalogue coverage: tracksPlaced / catalogueTracks." }) coverage!: number;
  @Field(() => Float, { description: "Share of slots whose artist the listener had never streamed before the week." }) newArtistShare!: number;
  @Field(() => Int, { description: "Distinct tracks placed that nobody had streamed before the week (cold start)." }) coldStartTracks!: number;
  @Field(() => Int, { description: "Slots those cold-start tracks filled." }) coldStartSlots!: number;
  @Field(() => [Int], { description: "Blend configuration versions the week's playlists were made with." }) blendVersions!: number[];
}
