import { CulturalModel } from "./packages/models/src/text/model.ts";
import { resolveOptions } from "./packages/models/src/text/options.ts";
import { readArtistBios } from "./packages/models/src/text/artist-bios.ts";
const folder = "/work/shared/data/artist-bios";
const lists = { mirex: (await readArtistBios(folder, "mirex")).filter((a) => a.bio), lastfm: (await readArtistBios(folder, "lastfm")).filter((a) => a.bio) };
const m = new CulturalModel();
const seen = new Set<string>();
const all = [...lists.mirex, ...lists.lastfm].filter((a) => !seen.has(a.mbid) && seen.add(a.mbid));
const boost = process.env.BOOST ? +process.env.BOOST : 0;
const text = (bio: string) => boost ? bio + " " + Array.from(bio.matchAll(/\[([^\]]+)\]\(https?:\/\/www\.last\.fm\/(?:tag|music)\/[^)]*\)/g), (x) => (x[1] + ". ").repeat(boost)).join(" ") : bio;
await m.addDocuments(all.map((a) => ({ entityId: a.mbid, kind: "artist" as const, text: text(a.bio) })));
console.log("entities", m.entityCount, "overlap", lists.mirex.length + lists.lastfm.length - all.length);
const index = new Map(m.culturalMatrix().entityIds.map((id, i) => [id, i]));
const evalP = (list: keyof typeof lists, space: any) => { let p = 0, c = 0;
  const cand = lists[list].map((a) => index.get(a.mbid)!);
  for (const a of lists[list]) { if (!a.similar.length) continue; const gold = new Set(a.similar);
    const s = m.scoresFor(a.mbid, space)!; const self = index.get(a.mbid)!;
    const top = cand.filter((e) => e !== self).sort((x, y) => s[y] - s[x]).slice(0, 10);
    p += top.filter((e) => gold.has(m.culturalMatrix().entityIds[e])).length / 10; c++; }
  return (p / c).toFixed(4); };
for (const cfg of [{}, { kindWeights: { np: 0 } }, {maxDfRatio: 1, kindWeights: { np: 0 } }]) {
  (m as any).options = resolveOptions(cfg); (m as any).vectorsCache = null;
  const out = [JSON.stringify(cfg), "sparse", evalP("mirex", "sparse"), evalP("lastfm", "sparse")];
  for (const d of (process.env.DIMS ?? "").split(",").filter(Boolean)) { m.fitDense({ dims: +d }); out.push(`d${d}`, evalP("mirex", "dense"), evalP("lastfm", "dense"), "hyb", evalP("mirex", "hybrid"), evalP("lastfm", "hybrid")); }
  console.log(out.join(" "));
}
