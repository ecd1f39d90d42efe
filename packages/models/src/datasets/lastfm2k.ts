import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Csr } from "../core/matrix.ts";
import { csrFromTriples } from "../core/matrix.ts";
import { IdIndex } from "../core/id-index.ts";
import { integerCell, readTsv } from "./tsv.ts";

/** The HetRec 2011 Last.fm 2K folder, parsed as it is on disk (ids are the file's own). */
export interface Lastfm2k {
  artists: { id: number; name: string; url: string; pictureUrl: string }[];
  /** user_artists.dat: play count per (user, artist). */
  plays: { userId: number; artistId: number; weight: number }[];
  /** tags.utf8.dat when present, else tags.dat read as latin-1. */
  tags: Map<number, string>;
  /** user_taggedartists.dat: which user put which tag on which artist. */
  taggings: { userId: number; artistId: number; tagId: number }[];
}

/**
 * Reads a Last.fm 2K folder; a malformed file throws `DataFormatError` with its name and line.
 * Files other than user_artists.dat and artists.dat are optional.
 */
export async function readLastfm2k(folder: string): Promise<Lastfm2k> {
  const artists: Lastfm2k["artists"] = [];
  await readTsv(join(folder, "artists.dat"), ["id", "name", "url", "pictureURL"], (c, line) => {
    artists.push({ id: integerCell(c[0], "artists.dat", line, "id"), name: c[1], url: c[2], pictureUrl: c[3] });
  });
  const plays: Lastfm2k["plays"] = [];
  await readTsv(join(folder, "user_artists.dat"), ["userID", "artistID", "weight"], (c, line) => {
    plays.push({
      userId: integerCell(c[0], "user_artists.dat", line, "userID"),
      artistId: integerCell(c[1], "user_artists.dat", line, "artistID"),
      weight: integerCell(c[2], "user_artists.dat", line, "weight"),
    });
  });
  const tags = new Map<number, string>();
  const utf8 = join(folder, "tags.utf8.dat");
  const latin1 = join(folder, "tags.dat");
  const tagFile = existsSync(utf8) ? utf8 : existsSync(latin1) ? latin1 : null;
  if (tagFile) {
    const name = tagFile === utf8 ? "tags.utf8.dat" : "tags.dat";
    await readTsv(
      tagFile,
      ["tagID", "tagValue"],
      (c, line) => void tags.set(integerCell(c[0], name, line, "tagID"), c[1]),
      tagFile === utf8 ? "utf8" : "latin1",
    );
  }
  const taggings: Lastfm2k["taggings"] = [];
  const taggedFile = join(folder, "user_taggedartists.dat");
  if (existsSync(taggedFile)) {
    const f = "user_taggedartists.dat";
    await readTsv(taggedFile, ["userID", "artistID", "tagID", "day", "month", "year"], (c, line) => {
      taggings.push({
        userId: integerCell(c[0], f, line, "userID"),
        artistId: integerCell(c[1], f, line, "artistID"),
        tagId: integerCell(c[2], f, line, "tagID"),
      });
    });
  }
  return { artists, plays, tags, taggings };
}

/** The play counts as a user x artist CSR matrix with the id maps that lead back to the files. */
export interface PlayMatrix {
  userItems: Csr;
  users: IdIndex<number>;
  items: IdIndex<number>;
}

/** Builds the user x artist play-count matrix (users and artists in order of first appearance). */
export function lastfmPlayMatrix(data: Lastfm2k): PlayMatrix {
  const users = new IdIndex<number>();
  const items = new IdIndex<number>();
  const n = data.plays.length;
  const rows = new Int32Array(n),
    cols = new Int32Array(n),
    values = new Float32Array(n);
  data.plays.forEach((p, k) => {
    rows[k] = users.add(p.userId);
    cols[k] = items.add(p.artistId);
    values[k] = p.weight;
  });
  return { userItems: csrFromTriples(users.size, items.size, { rows, cols, values }), users, items };
}
