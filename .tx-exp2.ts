import { CulturalModel } from "./packages/models/src/text/model.ts";
import { resolveOptions } from "./packages/models/src/text/options.ts";
import { readArtistBios } from "./packages/models/src/text/artist-bios.ts";
const folder = "/work/shared/data/artist-bios";
const configs = [
  {}, { maxDfRatio: 1 }, { maxDfRatio: 0.2 }, { maxDfRatio: 0.1 }, {minDf: 3},
  { kindWeights: { n2: 0, np: 0 } }, { kindWeights: { n2: 0.5, np: 0.5 } }, { kindWeights: { n2: 0, np: 1 } }, { kindWeights: { n2: 1, np: 0 } }, { kindWeights: { adj: 1 } }, { kindWeights: { n2: 2, np: 2 } },
];
for (const list of ["mirex", "lastfm"] as const) {
  const bios = (await readArtistBios(folder, list)).filter((a) => a.bio);
  const m = new CulturalModel();
  await m.addDocuments(bios.map((a) => ({ entityId: a.mbid, kind: "artist" as const, text: a.bio })));
  const evalP = (space: any) => { let p = 0, c = 0;
    for (const a of bios) { if (!a.similar.length) continue; const gold = new Set(a.similar);
      p += m.similar(a.mbid, { n: 10, space, explain: 0 }).filter((s) => gold.has(s.entityId)).length / 10; c++; }
    return (p / c).toFixed(4); };
  for (const cfg of configs) {
    (m as any).options = resolveOptions(cfg); (m as any).vectorsCache = null; (m as any).denseCache = null;
    const out = [list, JSON.stringify(cfg), "sparse", evalP("sparse")];
    if (process.env.DIMS) for (const d of process.env.DIMS.split(",")) { m.fitDense({ dims: +d }); out.push(`d${d}`, evalP("dense"), "hyb", evalP("hybrid")); }
    console.log(out.join(" "));
  }
}
