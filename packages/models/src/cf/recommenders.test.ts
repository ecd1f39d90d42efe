import { ImplicitAls } from "./als.ts";
import { Ease } from "./ease.ts";
import { LogisticMf } from "./lmf.ts";
import { PopularityModel } from "./popularity.ts";
import { recommenderSuite } from "./recommender-suite.ts";
import { seededRandom } from "../core/random.ts";

// Every recommender runs the same suite (implicit's test-mixin idea). The board has rank 2;
// more factors than that fit the per-user noise and blur the taste groups.
recommenderSuite(
  "ImplicitAls cg",
  () => new ImplicitAls({ factors: 2, threads: 1, random: seededRandom(7) }),
  (b) => ImplicitAls.load(b),
  { learnsTaste: true },
);
recommenderSuite(
  "ImplicitAls cholesky",
  () => new ImplicitAls({ factors: 2, solver: "cholesky", threads: 1, seed: 3 }),
  (b) => ImplicitAls.load(b),
  { learnsTaste: true },
);
recommenderSuite(
  "ImplicitAls cg on 2 threads",
  () => new ImplicitAls({ factors: 2, threads: 2, seed: 5 }),
  (b) => ImplicitAls.load(b),
  { learnsTaste: true },
);
recommenderSuite(
  "ImplicitAls on gpu.js kernels",
  () => new ImplicitAls({ factors: 2, backend: "gpu", seed: 11 }),
  (b) => ImplicitAls.load(b),
  { learnsTaste: true },
);
recommenderSuite(
  "LogisticMf",
  () => new LogisticMf({ factors: 2, iterations: 40, negativeSamples: 3, seed: 1 }),
  (b) => LogisticMf.load(b),
  { learnsTaste: true },
);
recommenderSuite(
  "PopularityModel",
  () => new PopularityModel(),
  (b) => PopularityModel.load(b),
  { learnsTaste: false },
);
recommenderSuite(
  "Ease",
  () => new Ease({ lambda: 1 }),
  (b) => Ease.load(b),
  { learnsTaste: true, userFactors: false },
);
