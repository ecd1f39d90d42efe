import { cleanText, splitSentences } from "./clean.ts";
import type { NaturalTools } from "./natural-lib.ts";

/**
 * Term kinds, after the Echo Nest's "top terms": n1 single words (stemmed), n2 bigrams
 * ("swedish pop"), np noun phrases of 2-4 words ("dancing queen"), adj adjectives ("perky").
 */
export type TermKind = "n1" | "n2" | "np" | "adj";
export const TERM_KINDS: readonly TermKind[] = ["n1", "n2", "np", "adj"];

/** Terms of one document: counts keyed "kind:text", and the surface form of each n1 stem. */
export interface DocumentTerms {
  counts: Map<string, number>;
  /** n1 key -> a readable word for it (the shortest lower-case form seen, ties alphabetical). */
  surfaces: Map<string, string>;
}

// Words natural's list lacks that carry no description in music writing.
const EXTRA_STOPWORDS = [
  "also",
  "would",
  "could",
  "should",
  "may",
  "might",
  "must",
  "shall",
  "s",
  "t",
  "d",
  "ll",
  "re",
  "ve",
  "m",
  "via",
  "etc",
  "including",
  "however",
  "although",
  "though",
  "since",
  "well",
  "yet",
  "us",
  "got",
  "get",
  "gets",
];
const NOUN = /^NN/;
const PHRASE_TAG = /^(?:NN|JJ|VBG)/;
const MAX_PHRASE = 4;

export function termKey(kind: TermKind, text: string): string {
  return `${kind}:${text}`;
}

export function splitTermKey(key: string): { kind: TermKind; text: string } {
  const at = key.indexOf(":");
  return { kind: key.slice(0, at) as TermKind, text: key.slice(at + 1) };
}

/** Builds the per-document term extractor over natural's tokenizer, stemmer and Brill tagger. */
export function termExtractor(tools: NaturalTools): (raw: string) => DocumentTerms {
  const stopwords = new Set([...tools.stopwords, ...EXTRA_STOPWORDS]);
  const stems = new Map<string, string>();
  const stem = (word: string): string => {
    let s = stems.get(word);
    if (s === undefined) {
      s = tools.stem(word);
      if (stems.size < 500_000) stems.set(word, s);
    }
    return s;
  };
  // A content word has a letter (so "80s" stays, "1996" goes), two characters, and is no stopword.
  const isContent = (word: string) => word.length >= 2 && /\p{L}/u.test(word) && !stopwords.has(word);

  return (raw: string): DocumentTerms => {
    const counts = new Map<string, number>();
    const surfaces = new Map<string, string>();
    const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const sentence of splitSentences(cleanText(raw))) {
      const tokens = tools.tokenize(sentence);
      if (tokens.length === 0) continue;
      const tags = tools.tag(tokens);
      const words = tokens.map((t) =>
        t
          .toLowerCase()
          .replace(/['’]s$/, "")
          .replace(/’/g, "'"),
      );
      const content = words.map(isContent);
      let phraseStart = -1;
      for (let i = 0; i <= words.length; i++) {
        if (i < words.length && content[i]) {
          const word = words[i];
          const key = termKey("n1", stem(word));
          add(key);
          const seen = surfaces.get(key);
          if (seen === undefined || word.length < seen.length || (word.length === seen.length && word < seen)) surfaces.set(key, word);
          if (tags[i] === "JJ") add(termKey("adj", word));
          if (i > 0 && content[i - 1]) add(termKey("n2", `${words[i - 1]} ${word}`));
        }
        // Noun phrases: maximal runs of adjective/gerund/noun content words, cut after the last noun.
        const inPhrase = i < words.length && content[i] && PHRASE_TAG.test(tags[i]);
        if (inPhrase && phraseStart < 0) phraseStart = i;
        if (!inPhrase && phraseStart >= 0) {
          let end = i;
          while (end > phraseStart && !NOUN.test(tags[end - 1])) end--;
          const length = end - phraseStart;
          if (length >= 2 && length <= MAX_PHRASE) add(termKey("np", words.slice(phraseStart, end).join(" ")));
          phraseStart = -1;
        }
      }
    }
    return { counts, surfaces };
  };
}
