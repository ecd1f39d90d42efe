/**
 * One rule for free text that enters the product (names, searches, keys, notes, imported
 * titles): no NUL or other control characters (tab, line feed and carriage return only where
 * a field allows multi-line text), and a length limit per field stated in the schema.
 */

export class TextError extends RangeError {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = "TextError";
  }
}

// C0 controls but tab/LF/CR, DEL, C1 controls; lone surrogates cannot be stored as UTF-8 either.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LINE_BREAK = /[\t\n\r]/;

export interface TextRule {
  /** Most characters allowed (UTF-16 code units, as JavaScript and GraphQL count them). */
  maxLength: number;
  /** Tab, line feed and carriage return allowed (documents, notes); off for names and keys. */
  multiline?: boolean;
  /** An empty string (after trimming) is refused. */
  required?: boolean;
}

/** Returns `value` when it follows `rule`, or throws a TextError naming `field`. */
export function checkText(value: string, field: string, rule: TextRule): string {
  if (value.length > rule.maxLength) throw new TextError(field, `must be at most ${rule.maxLength} characters, got ${value.length}`);
  const bad = CONTROL.exec(value);
  if (bad)
    throw new TextError(field, `must not contain control characters (U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} at ${bad.index})`);
  if (!rule.multiline && LINE_BREAK.test(value)) throw new TextError(field, "must be one line (no tab or line break)");
  if (rule.required && value.trim() === "") throw new TextError(field, "must not be empty");
  return value;
}

/** Limits shared by the API's arguments, the CLI and the importers. */
export const TEXT_LIMITS = {
  /** Searches over titles and names. */
  search: { maxLength: 200 },
  /** Names of listeners, artists, tracks, keys, genres. */
  name: { maxLength: 500, required: true },
  /** External keys and event ids. */
  key: { maxLength: 200, required: true },
  /** Short labels: API key names, genres, model names. */
  label: { maxLength: 100, required: true },
  /** Curator notes on blends. */
  note: { maxLength: 2000, multiline: true },
  /** Imported documents (biographies, reviews). */
  document: { maxLength: 200_000, multiline: true, required: true },
} satisfies Record<string, TextRule>;
