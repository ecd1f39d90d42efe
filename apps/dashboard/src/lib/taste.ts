import type { TasteProfileQuery } from "./generated/graphql.ts";

export interface Weighted {
  label: string;
  /** Share of the listener's plays (0..1) behind this genre or term. */
  share: number;
}

/**
 * A listener's taste from their most played artists: each genre's share of plays, and each top
 * term weighted by its artist's share times the term's weight (normalised to the heaviest term).
 */
export function tasteProfile(data: TasteProfileQuery, limit = 8): { genres: Weighted[]; terms: Weighted[] } {
  const genres = new Map<string, number>();
  const terms = new Map<string, number>();
  for (const a of data.topArtists.artists) {
    const genre = a.artist.genre ?? "no genre";
    genres.set(genre, (genres.get(genre) ?? 0) + a.share);
    for (const t of a.artist.topTerms) terms.set(t.term, (terms.get(t.term) ?? 0) + a.share * t.weight);
  }
  const heaviest = Math.max(0, ...terms.values());
  const ranked = (m: Map<string, number>, scale: number) =>
    [...m]
      .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
      .slice(0, limit)
      .map(([label, v]) => ({ label, share: scale > 0 ? v / scale : 0 }));
  return { genres: ranked(genres, 1), terms: ranked(terms, heaviest) };
}

/** Two weeks' playlists compared by track: kept in both, only in the earlier, only in the later. */
export function compareWeeks<T extends { track: { id: number; artist: { name: string } } }>(shown: T[], other: T[]) {
  const otherIds = new Set(other.map((i) => i.track.id));
  const shownIds = new Set(shown.map((i) => i.track.id));
  const artists = (items: T[]) => new Set(items.map((i) => i.track.artist.name));
  const [a, b] = [artists(shown), artists(other)];
  return {
    kept: shown.filter((i) => otherIds.has(i.track.id)),
    onlyShown: shown.filter((i) => !otherIds.has(i.track.id)),
    onlyOther: other.filter((i) => !shownIds.has(i.track.id)),
    sharedArtists: [...a].filter((n) => b.has(n)).length,
  };
}
