import { resolve } from "node:path";
import { seededRandom, shuffle } from "../core/random.ts";
import { decodeAudio } from "./decode.ts";
import { loadEssentia, withVector } from "./essentia-loader.ts";
import { mirexKeyScore, tempoMatch, type AudioLabel } from "./labels.ts";
import { onsetEnvelope, pickOnsets, spectralFlux } from "./onset.ts";
import { resample } from "./resample.ts";
import { LOG_MEL_SETTINGS, logMelSpectrogram } from "./spectrogram.ts";
import { chooseOctave, DEFAULT_OCTAVE_SETTINGS, envelopeAutocorrelation, refineTempo, type OctaveSettings } from "./tempo.ts";

/** Sums of MIREX scores to 4 decimals, so 6.6 prints as 6.6. */
const round = (x: number) => Math.round(x * 1e4) / 1e4;

/*
 * Cross-validation of the tempo octave choice and the key profile on a labels.csv: each setting
 * of a small grid is scored on every labelled file, a setting is chosen on one half of the files
 * and scored on the other half (both ways, for each split seed), and by leave-one-out. The grid
 * is computed here from the same steps as analyseAudio (excerpt, 16 kHz, log-mel flux, Percival
 * on the middle 15 s, KeyExtractor); `consistency` counts the files where the product's own
 * setting gives another answer here than analyseAudio did (0 expected).
 */

const RATE = LOG_MEL_SETTINGS.sampleRate;
const FRAME_RATE = RATE / LOG_MEL_SETTINGS.hopSize;
/** As analyseAudio: Percival on the middle 15 s of the excerpt. */
const CORE_SECONDS = 15;

/** Key settings searched: essentia's Key profiles (those KeyExtractor accepts at both sizes) x HPCP size. */
const KEY_PROFILES = [
  "tonictriad",
  "temperley",
  "temperley2005",
  "krumhansl",
  "shaath",
  "gomez",
  "thpcp",
  "noland",
  "diatonic",
  "edma",
  "edmm",
  "bgate",
  "braw",
];
export interface KeySetting {
  profile: string;
  hpcpSize: 12 | 36;
}
export const DEFAULT_KEY_SETTING: KeySetting = { profile: "tonictriad", hpcpSize: 36 };
export const KEY_GRID: KeySetting[] = KEY_PROFILES.flatMap((profile) => ([36, 12] as const).map((hpcpSize) => ({ profile, hpcpSize })));

/**
 * Octave settings searched around DEFAULT_OCTAVE_SETTINGS, each with the onset function whose
 * autocorrelation gives the pulse salience: the product's log-mel flux, or essentia's
 * information-gain detection function (OnsetDetectionGlobal 'infogain', 1024/256 at 16 kHz, the
 * flux's frame rate). The product's setting is the first entry.
 */
export interface OctaveCandidate {
  onsetFunction: "flux" | "infogain";
  settings: OctaveSettings;
}
export const OCTAVE_GRID: OctaveCandidate[] = (() => {
  const grid: OctaveCandidate[] = [{ onsetFunction: "flux", settings: { ...DEFAULT_OCTAVE_SETTINGS } }];
  for (const onsetFunction of ["flux", "infogain"] as const)
    for (const minCentreBpm of [150, 120, 100, 0])
      for (const densityBpm of [45, 40, 35, 30, 0])
        for (const densityExponent of [0.75, 1])
          for (const priorOctaves of [1, 0.75, 0.5, 1.5])
            for (const subdivisionWeight of [0.25, 0, 0.5])
              for (const estimateWeight of [1, 1.2, 1.5]) {
                if ((densityBpm === 0 && densityExponent !== 0.75) || (densityBpm === 0 && minCentreBpm === 0)) continue;
                const settings = { minCentreBpm, densityBpm, densityExponent, priorOctaves, subdivisionWeight, estimateWeight };
                if (onsetFunction !== "flux" || !sameSettings(settings, DEFAULT_OCTAVE_SETTINGS)) grid.push({ onsetFunction, settings });
              }
  return grid;
})();

function sameSettings(a: OctaveSettings, b: Readonly<OctaveSettings>): boolean {
  return (Object.keys(a) as (keyof OctaveSettings)[]).every((k) => a[k] === b[k]);
}

/** What the grid needs of one file: the tempo evidence, and KeyExtractor's key per KEY_GRID entry. */
interface FileEvidence {
  percivalBpm: number;
  acf: Float64Array;
  infogainAcf: Float64Array;
  onsetRate: number;
  keys: { key: string; mode: "major" | "minor" }[] | null;
}

async function fileEvidence(path: string, excerptSeconds: number, withKeys: boolean): Promise<FileEvidence> {
  const { samples, sampleRate } = await decodeAudio(path);
  const excerptLength = Math.min(samples.length, Math.round(excerptSeconds * sampleRate));
  const excerptStart = Math.floor((samples.length - excerptLength) / 2);
  const excerpt = samples.subarray(excerptStart, excerptStart + excerptLength);
  const audio = sampleRate === RATE ? excerpt : resample(excerpt, sampleRate, RATE);
  const mel = logMelSpectrogram(audio);
  const flux = spectralFlux(mel);
  const acf = envelopeAutocorrelation(flux, Math.ceil((4 * 60 * FRAME_RATE) / 40));
  const onsetRate = pickOnsets(onsetEnvelope(mel, flux), FRAME_RATE).length / (excerptLength / sampleRate);
  const { essentia } = loadEssentia();
  const infogain = withVector(essentia, audio, (signal) => {
    const { onsetDetections } = essentia.OnsetDetectionGlobal(signal, 1024, LOG_MEL_SETTINGS.hopSize, "infogain", RATE);
    try {
      return essentia.vectorToArray(onsetDetections);
    } finally {
      onsetDetections.delete();
    }
  });
  const infogainAcf = envelopeAutocorrelation(infogain, acf.length - 1);
  const coreLength = Math.min(audio.length, CORE_SECONDS * RATE);
  const coreStart = Math.floor((audio.length - coreLength) / 2);
  const percivalBpm = withVector(
    essentia,
    audio.subarray(coreStart, coreStart + coreLength),
    (core) => essentia.PercivalBpmEstimator(core, 512, 512, 128, 128, 210, 50, RATE).bpm,
  );
  const keys = !withKeys
    ? null
    : withVector(essentia, audio, (signal) =>
        KEY_GRID.map(({ profile, hpcpSize }) => {
          const k = essentia.KeyExtractor(signal, true, 4096, 4096, hpcpSize, 3500, 60, 25, 0.2, profile, RATE);
          return { key: k.key, mode: k.scale === "minor" ? ("minor" as const) : ("major" as const) };
        }),
      );
  return { percivalBpm, acf, infogainAcf, onsetRate, keys };
}

/** The tempo a candidate gives: its octave choice, refined on the flux as analyseAudio does. */
function octaveTempo(e: FileEvidence, { onsetFunction, settings }: OctaveCandidate): number {
  const salience = onsetFunction === "flux" ? e.acf : e.infogainAcf;
  return refineTempo(chooseOctave(e.percivalBpm, salience, FRAME_RATE, e.onsetRate, settings), e.acf, FRAME_RATE);
}

export interface FoldResult {
  /** Index into the grid of the setting chosen on the other fold (0: the product's). */
  chosen: number;
  files: number;
  /** Held-out score of the chosen setting and of the product's setting on this fold. */
  heldOut: number;
  heldOutProduct: number;
}

export interface SettingValidation<S> {
  /** Settings searched; the first is the product's. */
  grid: number;
  product: S;
  /** The product's setting on all files, and the best all-file setting (optimistic: chosen on the files it is scored on). */
  productAllFiles: number;
  bestAllFiles: { setting: S; score: number };
  splits: { seed: number; folds: FoldResult[]; heldOut: number; heldOutProduct: number; heldOutSecond: number | null; chosen: S[] }[];
  leaveOneOut: { heldOut: number; heldOutProduct: number; changedChoice: number };
}

export interface AudioValidation {
  protocol: string;
  /** `splits[].heldOutSecond`: the held-out count allowing x1/3, 1/2, 2, 3. */
  tempo: SettingValidation<OctaveCandidate> & { withOctaveErrorsProductAllFiles: number };
  key: SettingValidation<KeySetting>;
  consistency: { tempoMismatches: number; keyMismatches: number; files: number };
}

/**
 * Chooses the grid entry with the highest total `score` over `train` (then `second`, when
 * given); the product's entry (index 0) wins ties, then the earliest.
 */
function choose(scores: number[][], train: number[], second?: number[][]): number {
  let best = 0;
  let bestKey = [0, 0];
  for (let g = 0; g < scores.length; g++) {
    const key = [train.reduce((s, i) => s + scores[g][i], 0), second ? train.reduce((s, i) => s + second[g][i], 0) : 0];
    if (g === 0 || key[0] > bestKey[0] + 1e-9 || (Math.abs(key[0] - bestKey[0]) <= 1e-9 && key[1] > bestKey[1] + 1e-9)) {
      best = g;
      bestKey = key;
    }
  }
  return best;
}

/**
 * Cross-validates a grid whose entry g scores file i `scores[g][i]` (entry 0: the product's):
 * for each seed the files are shuffled and halved, an entry chosen on each half (`choose`) is
 * scored on the other; then leave-one-out. `second` breaks ties in the choice, and its held-out
 * total is reported as `heldOutSecond`.
 */
export function crossValidateGrid<S>(grid: S[], scores: number[][], seeds: number[], second?: number[][]): SettingValidation<S> {
  const n = scores[0].length;
  const all = Array.from({ length: n }, (_, i) => i);
  const total = (g: number, set: number[]) => set.reduce((s, i) => s + scores[g][i], 0);
  const splits = seeds.map((seed) => {
    const order = [...all];
    shuffle(order, seededRandom(seed));
    const halves = [order.slice(0, Math.ceil(n / 2)), order.slice(Math.ceil(n / 2))];
    const folds = halves.map((test, k): FoldResult => {
      const chosen = choose(scores, halves[1 - k], second);
      return { chosen, files: test.length, heldOut: round(total(chosen, test)), heldOutProduct: round(total(0, test)) };
    });
    const secondTotal = (g: number, set: number[]) => set.reduce((s, i) => s + second![g][i], 0);
    return {
      seed,
      folds,
      heldOut: round(folds.reduce((s, f) => s + f.heldOut, 0)),
      heldOutProduct: round(folds.reduce((s, f) => s + f.heldOutProduct, 0)),
      heldOutSecond: second ? round(folds.reduce((s, f, k) => s + secondTotal(f.chosen, halves[k]), 0)) : null,
      chosen: folds.map((f) => grid[f.chosen]),
    };
  });
  let heldOut = 0;
  let changedChoice = 0;
  for (const i of all) {
    const chosen = choose(
      scores,
      all.filter((j) => j !== i),
      second,
    );
    heldOut += scores[chosen][i];
    if (chosen !== 0) changedChoice++;
  }
  const best = choose(scores, all, second);
  return {
    grid: grid.length,
    product: grid[0],
    productAllFiles: round(total(0, all)),
    bestAllFiles: { setting: grid[best], score: round(total(best, all)) },
    splits,
    leaveOneOut: { heldOut: round(heldOut), heldOutProduct: round(total(0, all)), changedChoice },
  };
}

/**
 * Cross-validates the octave settings (tempo within 4% at the exact octave; ties broken by the
 * count allowing x1/3, 1/2, 2, 3) and the key settings (MIREX score) on the labelled files of
 * `folder`. `product` holds analyseAudio's tempo and key for each label (null where it failed),
 * for the consistency count. Scores are counts (tempo) and summed MIREX scores (key).
 */
export async function validateAudioSettings(
  folder: string,
  labels: AudioLabel[],
  product: ({ bpm: number; key: string; mode: "major" | "minor" } | null)[],
  { seeds, excerptSeconds = 30 }: { seeds: number[]; excerptSeconds?: number },
): Promise<AudioValidation> {
  const tempoFiles: { label: number; evidence: FileEvidence }[] = [];
  const keyFiles: { label: { key: string; mode: "major" | "minor" }; keys: NonNullable<FileEvidence["keys"]> }[] = [];
  let tempoMismatches = 0;
  let keyMismatches = 0;
  let checked = 0;
  for (const [i, label] of labels.entries()) {
    const hasKey = label.key !== null && label.mode !== null;
    if (label.tempoBpm === null && !hasKey) continue;
    const evidence = await fileEvidence(resolve(folder, label.path), excerptSeconds, hasKey);
    const p = product[i];
    if (p) {
      checked++;
      if (Math.abs(octaveTempo(evidence, OCTAVE_GRID[0]) - p.bpm) > 1e-6) tempoMismatches++;
      if (evidence.keys && (evidence.keys[0].key !== p.key || evidence.keys[0].mode !== p.mode)) keyMismatches++;
    }
    if (label.tempoBpm !== null) tempoFiles.push({ label: label.tempoBpm, evidence });
    if (hasKey && evidence.keys) keyFiles.push({ label: { key: label.key!, mode: label.mode! }, keys: evidence.keys });
  }
  const tempos = OCTAVE_GRID.map((s) => tempoFiles.map((f) => tempoMatch(octaveTempo(f.evidence, s), f.label)));
  const exact = tempos.map((row) => row.map((m) => (m.exact ? 1 : 0)));
  const tolerant = tempos.map((row) => row.map((m) => (m.withOctaveErrors ? 1 : 0)));
  const tempo = crossValidateGrid(OCTAVE_GRID, exact, seeds, tolerant);
  const keyScores = KEY_GRID.map((_, g) => keyFiles.map((f) => mirexKeyScore(f.label, f.keys[g])));
  return {
    protocol:
      `for each split seed the labelled files are shuffled (mulberry32) and halved (tempo and key files separately); a setting is chosen on ` +
      `one half and scored on the other, both ways; ties keep the product's setting; leave-one-out likewise. Tempo: ${OCTAVE_GRID.length} ` +
      `octave settings (onset function x prior x salience weights), chosen by exact-octave count (then the count allowing x1/3, 1/2, 2, 3); key: ${KEY_GRID.length} KeyExtractor ` +
      `profile x HPCP-size settings, chosen by summed MIREX score. Figures are counts (tempo) and summed MIREX scores (key).`,
    tempo: { ...tempo, withOctaveErrorsProductAllFiles: tolerant[0].reduce((a: number, b) => a + b, 0) },
    key: crossValidateGrid(KEY_GRID, keyScores, seeds),
    consistency: { tempoMismatches, keyMismatches, files: checked },
  };
}
