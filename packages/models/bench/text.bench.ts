// `npm run bench:text`: documents per second through the whole text pipeline (cleaning,
// tokenizing, Brill tagging, stemming, term counting), and the time to rebuild every vector
// for 20,000 documents synthesised from the artist-bios biographies by deterministic sentence
// resampling, plus the 100-d LSA fit, the similarity profiles and a similarity query. Writes
// docs/bench-text.md unless --no-write. Needs ../shared/data/artist-bios (the text is never copied anywhere).
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { seededRandom } from "../src/core/random.ts";
import { findSharedDataset, repositoryRoot } from "../src/datasets/shared-data.ts";
import { readArtistBios } from "../src/text/artist-bios.ts";
import { splitSentences } from "../src/text/clean.ts";
import { CulturalModel } from "../src/text/model.ts";
import { loadNatural } from "../src/text/natural-lib.ts";
import type { CulturalDocument } from "../src/text/options.ts";

const DOCUMENTS = 20_000;
const found = findSharedDataset("artist-bios");
if (!found.path) {
  console.error(`bench:text needs real biographies: ${found.reason}`);
  process.exit(1);
}
const bios = (await readArtistBios(found.path, "lastfm")).filter((a) => a.bio);
const sentences = bios.map((a) => splitSentences(a.bio.replace(/\s{3,}/g, "\n")));

// Each synthetic document: 6 sentences of one artist's bio drawn with replacement, and one from another artist.
const random = seededRandom(2024);
const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
const documents: CulturalDocument[] = [];
for (let i = 0; i < DOCUMENTS; i++) {
  const artist = Math.floor(random() * bios.length);
  const own = Array.from({ length: 6 }, () => pick(sentences[artist]));
  documents.push({ entityId: bios[artist].mbid, kind: "artist", text: [...own, pick(pick(sentences))].join(" "), source: "blog" });
}
const words = documents.reduce((n, d) => n + d.text.split(/\s+/).length, 0);

let t = performance.now();
await loadNatural();
const importMs = performance.now() - t;
const model = new CulturalModel();
t = performance.now();
await model.addDocuments(documents);
const pipelineS = (performance.now() - t) / 1000;
model.vectors();
const rebuilds: number[] = [];
for (let i = 0; i < 3; i++) {
  t = performance.now();
  model.rebuildVectors();
  rebuilds.push(performance.now() - t);
}
t = performance.now();
model.fitDense({ dims: 100 });
const lsaS = (performance.now() - t) / 1000;
t = performance.now();
model.denseMatrix();
const projectMs = performance.now() - t;
// The first query after a change builds every entity's similarity profile (second order), once.
t = performance.now();
model.similar(bios[0].mbid, { n: 10, space: "hybrid" });
const profilesMs = performance.now() - t;
t = performance.now();
for (let i = 1; i <= 100; i++) model.similar(bios[i].mbid, { n: 10, space: "hybrid" });
const queryMs = (performance.now() - t) / 100;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const figures = {
  documents: DOCUMENTS,
  words,
  entities: model.entityCount,
  terms: model.termCount,
  importNaturalMs: Math.round(importMs),
  pipelineSeconds: +pipelineS.toFixed(2),
  documentsPerSecond: Math.round(DOCUMENTS / pipelineS),
  wordsPerSecond: Math.round(words / pipelineS),
  rebuildAllVectorsMs: Math.round(median(rebuilds)),
  lsa100Seconds: +lsaS.toFixed(2),
  projectAllDenseMs: Math.round(projectMs),
  firstQueryWithProfilesMs: Math.round(profilesMs),
  hybridQueryMs: +queryMs.toFixed(1),
};
console.log(JSON.stringify(figures, null, 2));
const machine = `${cpus().length} x ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}, load average ${loadavg()[0].toFixed(2)} at the end (the CPU is shared with other engineers)`;
if (!process.argv.includes("--no-write")) {
  writeFileSync(
    join(repositoryRoot, "docs/bench-text.md"),
    `# Text model benchmark (\`npm run bench:text\`)

Machine: ${machine}. Measured ${new Date().toISOString().slice(0, 10)}.

${DOCUMENTS.toLocaleString("en")} documents (${words.toLocaleString("en")} words) synthesised from the artist-bios Last.fm
biographies by seeded sentence resampling (6 sentences of one artist, 1 of another), pooled into
${model.entityCount.toLocaleString("en")} artists.

| figure | value |
|---|---|
| importing natural (once per process) | ${figures.importNaturalMs} ms |
| whole pipeline: clean, tokenize, Brill-tag, stem, count | ${figures.pipelineSeconds} s |
| documents per second | ${figures.documentsPerSecond.toLocaleString("en")} |
| words per second | ${figures.wordsPerSecond.toLocaleString("en")} |
| rebuild all tf-idf vectors from the counts (median of 3) | ${figures.rebuildAllVectorsMs} ms |
| fit 100-d LSA (randomized SVD) | ${figures.lsa100Seconds} s |
| project all entities into LSA | ${figures.projectAllDenseMs} ms |
| first hybrid similarity query after a change: builds every entity's similarity profile (second order) | ${figures.firstQueryWithProfilesMs} ms |
| one hybrid similarity query (top 10 with shared terms, second order included) | ${figures.hybridQueryMs} ms |

Vocabulary: ${model.termCount.toLocaleString("en")} terms of all kinds.
`,
  );
}
