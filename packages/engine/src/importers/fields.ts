import { ImportError } from "./import-error.ts";

/** Field readers for JSON rows: each names the file, line and field of a value of the wrong shape. */
export class Fields {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly row: Record<string, unknown>,
    readonly prefix = "",
  ) {}

  static of(file: string, line: number, value: unknown, what = "each entry"): Fields {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new ImportError(file, line, `${what} must be a JSON object, got ${JSON.stringify(value)?.slice(0, 60)}`);
    return new Fields(file, line, value as Record<string, unknown>);
  }

  fail(field: string, problem: string): never {
    throw new ImportError(this.file, this.line, `${this.prefix}${field}: ${problem}`);
  }

  /** A nested object (null when absent). */
  object(field: string): Fields | null {
    const v = this.row[field];
    if (v === undefined || v === null) return null;
    if (typeof v !== "object" || Array.isArray(v)) this.fail(field, `must be an object, got ${JSON.stringify(v).slice(0, 60)}`);
    return new Fields(this.file, this.line, v as Record<string, unknown>, `${this.prefix}${field}.`);
  }

  /** A string, or null when absent, null or empty. */
  string(field: string): string | null {
    const v = this.row[field];
    if (v === undefined || v === null || v === "") return null;
    if (typeof v !== "string") this.fail(field, `must be a string, got ${JSON.stringify(v).slice(0, 60)}`);
    return v;
  }

  requiredString(field: string): string {
    return this.string(field) ?? this.fail(field, "is missing");
  }

  /** A non-negative integer (a JSON number or a string of digits), or null when absent. */
  integer(field: string): number | null {
    const v = this.row[field];
    if (v === undefined || v === null || v === "") return null;
    const n = typeof v === "string" && /^\d+$/.test(v.trim()) ? Number(v) : v;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) this.fail(field, `must be a non-negative integer, got ${JSON.stringify(v).slice(0, 60)}`);
    return n;
  }

  /** true/false, or null when absent. */
  boolean(field: string): boolean | null {
    const v = this.row[field];
    if (v === undefined || v === null) return null;
    if (typeof v !== "boolean") this.fail(field, `must be true or false, got ${JSON.stringify(v).slice(0, 60)}`);
    return v;
  }

  /** A list of strings (null entries dropped), or [] when absent. */
  strings(field: string): string[] {
    const v = this.row[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => x !== null && typeof x !== "string"))
      this.fail(field, `must be a list of strings, got ${JSON.stringify(v).slice(0, 60)}`);
    return (v as (string | null)[]).filter((x): x is string => !!x);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A MusicBrainz id (UUID, lower case), or null when absent; anything else is an error. */
export function mbid(value: string | null, fail: (problem: string) => never): string | null {
  if (value === null) return null;
  const v = value.trim().toLowerCase();
  if (!UUID.test(v)) fail(`must be a MusicBrainz id (a UUID), got '${value.slice(0, 60)}'`);
  return v;
}

/** An ISRC (CC-XXX-YY-NNNNN, hyphens optional), upper case without hyphens; null when absent. */
export function isrc(value: string | null, fail: (problem: string) => never): string | null {
  if (value === null) return null;
  const v = value.trim().toUpperCase().replace(/-/g, "");
  if (!/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(v)) fail(`must be an ISRC (12 characters, e.g. USRC17607839), got '${value.slice(0, 60)}'`);
  return v;
}

/** A Spotify track as spotify:track:<22 base62>, from a URI or an open.spotify.com URL; null when absent. */
export function spotifyTrackUri(value: string | null, fail: (problem: string) => never): string | null {
  if (value === null) return null;
  const m = /^(?:spotify:track:|https?:\/\/open\.spotify\.com\/(?:intl-[a-z-]+\/)?track\/)([A-Za-z0-9]{22})(?:\?.*)?$/.exec(value.trim());
  if (!m) fail(`must be a Spotify track URI (spotify:track:<22 characters>) or URL, got '${value.slice(0, 60)}'`);
  return `spotify:track:${m[1]}`;
}
