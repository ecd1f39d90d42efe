import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DataFormatError } from "../core/errors.ts";

/** One artist of the SAS artist-similarity set (Oramas et al., ISMIR 2015). */
export interface ArtistBio {
  mbid: string;
  name: string;
  bio: string;
  /** MusicBrainz ids of the artists judged most similar (up to 10, best first). */
  similar: string[];
}

export type BiosList = "mirex" | "lastfm";

const FILES: Record<BiosList, string> = { mirex: "mirex_artists_bios.jsonl", lastfm: "lastfmapi_artists_bios.jsonl" };

/** Reads one of the two JSONL files of the artist-bios folder; a bad line throws DataFormatError. */
export async function readArtistBios(folder: string, list: BiosList): Promise<ArtistBio[]> {
  const file = FILES[list];
  const text = await readFile(join(folder, file), "utf8");
  const artists: ArtistBio[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let row: { mbid?: unknown; name?: unknown; bio?: unknown; similar_top10?: unknown };
    try {
      row = JSON.parse(line) as typeof row;
    } catch (error) {
      throw new DataFormatError(file, i + 1, `not JSON: ${(error as Error).message}`);
    }
    if (typeof row.mbid !== "string") throw new DataFormatError(file, i + 1, "mbid must be a string");
    const similar = Array.isArray(row.similar_top10) ? row.similar_top10.filter((s): s is string => typeof s === "string") : [];
    artists.push({ mbid: row.mbid, name: typeof row.name === "string" ? row.name : "", bio: typeof row.bio === "string" ? row.bio : "", similar });
  });
  return artists;
}
