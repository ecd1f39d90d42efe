/**
 * The identity normaliser: two catalogues write the same song differently ("The Beatles" /
 * "Beatles", "Let It Be - Remastered 2009" / "Let It Be (2009 Remaster)", "Song (feat. X)" /
 * "Song"). Matching compares these folded forms; the version (remaster, live, demo...) is kept,
 * so a live recording stays a track of its own.
 */

/** Words that mark a bracketed or " - " suffix as a version of the recording, not part of the title. */
const VERSION_WORDS =
  /\b(remaster(ed)?|live|demo|acoustic|mono|stereo|edit|mix|remix|version|session|take|instrumental|unplugged|re-?recorded|mixed|single|radio|extended|bonus|anniversary|deluxe)\b/i;
/** Featured-artist credits: "feat. X", "ft. X", "featuring X" (in brackets or after the name). */
const FEAT_BRACKETED = /\s*[([](?:feat\.?|ft\.?|featuring|with)\s[^)\]]*[)\]]/gi;
const FEAT_TRAILING = /\s+(?:feat\.?|ft\.?|featuring)\s.*$/i;
/** Words that say nothing about which version it is. */
const VERSION_FILLER = new Set(["version", "the", "a"]);

/** Case, diacritics, "&", apostrophes and punctuation folded away; words separated by one space. */
export function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/['’`´]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Folded artist name: featured artists and a leading "The " dropped ("The Beatles ft. X" -> "beatles"). */
export function normaliseArtist(name: string): string {
  const folded = fold(name.replace(FEAT_BRACKETED, "").replace(FEAT_TRAILING, ""));
  const withoutThe = folded.replace(/^the /, "");
  return withoutThe || folded || name.trim().toLowerCase();
}

export interface NormalisedTitle {
  /** The folded title without featured artists and version suffixes. */
  title: string;
  /** The folded version ("2009 remaster", "live"), words sorted; "" for the original recording. */
  version: string;
}

/** Splits a title into its folded base and its version ("Song - 2009 Remaster" -> song / 2009 remaster). */
export function normaliseTitle(raw: string): NormalisedTitle {
  let title = raw.replace(FEAT_BRACKETED, "").replace(FEAT_TRAILING, "");
  const versions: string[] = [];
  // Bracketed suffixes, innermost last: "Song (Live) [2009 Remaster]".
  for (;;) {
    const m = /\s*[([]([^()[\]]*)[)\]]\s*$/.exec(title);
    if (!m || !VERSION_WORDS.test(m[1])) break;
    versions.push(m[1]);
    title = title.slice(0, m.index);
  }
  // Spotify's " - Remastered 2009" / " - Live at Wembley" suffix.
  const dash = / [-–—] ([^-–—]+)$/.exec(title);
  if (dash && VERSION_WORDS.test(dash[1])) {
    versions.push(dash[1]);
    title = title.slice(0, dash.index);
  }
  const words = versions
    .flatMap((v) => fold(v).split(" "))
    .map((w) => (w === "remastered" ? "remaster" : w === "rerecorded" ? "re recorded" : w))
    .flatMap((w) => w.split(" "))
    .filter((w) => w && !VERSION_FILLER.has(w));
  const folded = fold(title);
  return { title: folded || raw.trim().toLowerCase(), version: [...new Set(words)].sort().join(" ") };
}

/** The stored form of a title (tracks.match_title): "title|version". */
export function matchTitle(raw: string): string {
  const { title, version } = normaliseTitle(raw);
  return `${title}|${version}`;
}

/** Durations (ms) within 3 s are the same recording; an unknown duration (0 or null) matches any. */
export function sameDuration(a: number | null | undefined, b: number | null | undefined): boolean {
  if (!a || !b) return true;
  return Math.abs(a - b) <= 3000;
}
