import { CulturalModel } from "./packages/models/src/text/model.ts";
import { readArtistBios } from "./packages/models/src/text/artist-bios.ts";
const folder = "/work/shared/data/artist-bios";
for (const list of ["mirex", "lastfm"] as const) {
  const bios = (await readArtistBios(folder, list)).filter((a) => a.bio);
  let t = performance.now();
  const m = new CulturalModel(JSON.parse(process.env.OPT ?? "{}"));
  await m.addDocuments(bios.map((a) => ({ entityId: a.mbid, kind: "artist" as const, text: a.bio, source: "bio" as const })));
  console.log(list, "add ms", (performance.now() - t).toFixed(0), "terms", m.termCount, "used", m.vectors().idf.filter((x) => x > 0).length);
  const spaces: ("sparse"|"dense"|"hybrid")[] = ["sparse"];
  if (process.env.DIMS) { t = performance.now(); m.fitDense({ dims: +process.env.DIMS }); console.log("svd ms", (performance.now() - t).toFixed(0)); spaces.push("dense", "hybrid"); }
  for (const space of spaces) {
    let p = 0, c = 0;
    for (const a of bios) {
      if (!a.similar.length) continue;
      const gold = new Set(a.similar);
      const sim = m.similar(a.mbid, { n: 10, space, explain: 0 });
      p += sim.filter((s) => gold.has(s.entityId)).length / 10; c++;
    }
    console.log(list, space, "p@10", (p / c).toFixed(4));
  }
  if (list === "mirex") { const abba = bios.find(b => /abba|beatles|metallica/i.test(b.name))!; console.log(abba.name, JSON.stringify(["n2","np","adj","n1"].map(k => m.topTerms(abba.mbid, { kind: k as any, n: 8 })!.terms.map(t => t.term)))); }
}
