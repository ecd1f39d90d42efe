/** What one listener did, as the weekly generation needs it. */
export interface ListenerHistory {
  userId: number;
  /** Tracks the listener ever played, saved, skipped or disliked, with their positive strength (streams + 5 saves). */
  heard: Map<number, number>;
  /** Artists the listener disliked, or (with excludeSkipped) skipped and never played. */
  avoidArtists: Set<number>;
  skippedOnlyArtists: Set<number>;
  /** Artists the listener plays, with their play counts. */
  knownArtists: Map<number, number>;
  seedArtists: number[];
}
