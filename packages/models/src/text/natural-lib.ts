import type * as NaturalModule from "natural";

/** The parts of `natural` the text pipeline uses, bound once. */
export interface NaturalTools {
  /** Splits a sentence into word tokens (letters and digits, any script). */
  tokenize(sentence: string): string[];
  /** Porter stem of a lower-case word. */
  stem(word: string): string;
  /** Penn Treebank tags (JJ, NN, NNP, VBG...) for the tokens of one sentence, in order. */
  tag(tokens: string[]): string[];
  /** natural's English stopword list, lower case. */
  stopwords: ReadonlySet<string>;
}

let loading: Promise<NaturalTools> | null = null;

/**
 * Loads `natural` lazily and once: importing it costs about 2 s and 128 MB (it pulls storage
 * back ends), named ESM imports fail, and it calls dotenv on import.
 */
export function loadNatural(): Promise<NaturalTools> {
  loading ??= importNatural();
  return loading;
}

async function importNatural(): Promise<NaturalTools> {
  process.env.DOTENV_CONFIG_QUIET ??= "true";
  const natural = ((await import("natural")) as unknown as { default: typeof NaturalModule }).default;
  const { RegexpTokenizer, PorterStemmer, BrillPOSTagger, Lexicon, RuleSet, stopwords } = natural;
  // A word is letters/digits with an optional apostrophe tail ("don't"); hyphens split, so
  // "post-grunge" becomes the bigram "post grunge".
  const tokenizer = new RegexpTokenizer({ pattern: /[\p{L}\p{N}]+(?:['’]\p{L}+)?/gu, gaps: false });
  // Unknown lower-case words default to NN, unknown capitalised ones to NNP (names).
  const tagger = new BrillPOSTagger(new Lexicon("EN", "NN", "NNP"), new RuleSet("EN"));
  return {
    tokenize: (sentence) => tokenizer.tokenize(sentence) ?? [],
    stem: (word) => PorterStemmer.stem(word),
    tag: (tokens) => tagger.tag(tokens).taggedWords.map((w) => w.tag),
    stopwords: new Set(stopwords),
  };
}
