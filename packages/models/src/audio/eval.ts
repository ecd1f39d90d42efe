import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { AnalysisPool, type FileAnalysisResult } from "./pool.ts";
import { mirexKeyScore, readAudioLabels, tempoMatch } from "./labels.ts";
import { checkScore, findScore, NO_PULSE, type ScoreCheck } from "./score-check.ts";
import { validateAudioSettings, type AudioValidation } from "./validation.ts";

export interface EvaluateAudioFeaturesOptions {
  /** "audio:<folder>": a folder with labels.csv whose paths are relative to it. */
  dataset: string;
  onProgress?: (done: number, total: number, result: FileAnalysisResult) => void;
  threads?: number;
  excerptSeconds?: number;
  /**
   * Split seeds for cross-validating the octave and key settings (validation.ts); none: no
   * validation (it analyses each labelled file again, with 26 key settings).
   */
  validationSeeds?: number[];
}

export interface AudioFeatureRow {
  path: string;
  tempoLabel: number | null;
  tempoEstimate: number | null;
  tempoExact: boolean | null;
  tempoWithOctaveErrors: boolean | null;
  keyLabel: string | null;
  keyEstimate: string | null;
  keyScore: number | null;
  error: string | null;
  /**
   * The MIDI score the file was rendered from, checked against its labels (score-check.ts); null
   * without one. A score that cannot be read has its error here and counts as no score.
   */
  scoreCheck: (ScoreCheck & { error: string | null }) | null;
}

/**
 * What the labels of files rendered from a MIDI score allow (score-check.ts): how many tempo
 * labels name a beat that the notes do not repeat at, and so the best tempo figures any audio
 * analysis can reach; how many key labels name a mode whose third the notes play less than the
 * other; and the MIREX score of the key the pitches themselves imply, beside the analysis's on
 * the same files.
 */
export interface LabelCheck {
  scored: number;
  tempo: { labelled: number; withoutPulse: string[]; noPulseBelow: number; best: number };
  key: { labelled: number; againstTheirThird: string[]; mirexFromNotes: number; mirexOfAnalysis: number };
}

export interface AudioFeatureEvaluation {
  dataset: string;
  folder: string;
  files: number;
  failed: number;
  tempo: { labelled: number; exactOctave: number; withOctaveErrors: number; exactCount: number; withOctaveErrorsCount: number; tolerance: number };
  key: { labelled: number; mirexScore: number; exactShare: number; exactCount: number };
  rows: AudioFeatureRow[];
  labelCheck: LabelCheck;
  validation?: AudioValidation;
}

/**
 * Tempo and key accuracy of analyseAudio against a folder's labels.csv: tempo within 4% at the
 * exact octave and allowing x1/3, 1/2, 2, 3 errors; key by the MIREX weighted score. A file that
 * fails to analyse counts as wrong on every label it has.
 */
export async function evaluateAudioFeatures(options: EvaluateAudioFeaturesOptions): Promise<AudioFeatureEvaluation> {
  const match = /^audio:(.+)$/.exec(options.dataset);
  if (!match) throw new RangeError(`dataset must be 'audio:<folder>', got '${options.dataset}'`);
  const folder = resolve(match[1]);
  const labelsFile = resolve(folder, "labels.csv");
  if (!existsSync(labelsFile)) throw new RangeError(`dataset folder ${folder} has no labels.csv`);
  const labels = (await readAudioLabels(labelsFile)).filter((l) => l.tempoBpm !== null || (l.key !== null && l.mode !== null));
  const pool = new AnalysisPool({
    threads: options.threads,
    analysis: { spectrogram: false, ...(options.excerptSeconds ? { excerptSeconds: options.excerptSeconds } : {}) },
  });
  let results: FileAnalysisResult[];
  try {
    results = await pool.analyseFiles(
      labels.map((l) => resolve(folder, l.path)),
      { onProgress: options.onProgress },
    );
  } finally {
    await pool.close();
  }
  const rows = labels.map((label, i): AudioFeatureRow => {
    const result = results[i];
    const analysis = result.ok ? result.analysis : null;
    const tempo = label.tempoBpm !== null && analysis ? tempoMatch(analysis.tempo.bpm, label.tempoBpm) : null;
    const hasKey = label.key !== null && label.mode !== null;
    const scorePath = findScore(resolve(folder, label.path));
    let scoreCheck: AudioFeatureRow["scoreCheck"] = null;
    if (scorePath) {
      const score = relative(folder, scorePath);
      try {
        scoreCheck = { score, ...checkScore(scorePath, label), error: null };
      } catch (error) {
        scoreCheck = {
          score,
          keyFromNotes: null,
          keyFromNotesScore: null,
          pulseAtLabel: null,
          labelledThirds: null,
          thirdAgainstLabel: null,
          error: (error as Error).message,
        };
      }
    }
    return {
      path: label.path,
      tempoLabel: label.tempoBpm,
      tempoEstimate: analysis ? Math.round(analysis.tempo.bpm * 10) / 10 : null,
      tempoExact: label.tempoBpm === null ? null : (tempo?.exact ?? false),
      tempoWithOctaveErrors: label.tempoBpm === null ? null : (tempo?.withOctaveErrors ?? false),
      keyLabel: hasKey ? `${label.key} ${label.mode}` : null,
      keyEstimate: analysis ? `${analysis.key} ${analysis.mode}` : null,
      keyScore: !hasKey ? null : analysis ? mirexKeyScore({ key: label.key!, mode: label.mode! }, analysis) : 0,
      error: result.ok ? null : result.error,
      scoreCheck,
    };
  });
  const tempoRows = rows.filter((r) => r.tempoLabel !== null);
  const keyRows = rows.filter((r) => r.keyScore !== null);
  const exactCount = tempoRows.filter((r) => r.tempoExact).length;
  const octaveCount = tempoRows.filter((r) => r.tempoWithOctaveErrors).length;
  const keyExact = keyRows.filter((r) => r.keyScore === 1).length;
  const share = (count: number, of: number) => (of ? count / of : 0);
  const validation = options.validationSeeds?.length
    ? await validateAudioSettings(
        folder,
        labels,
        results.map((r) => (r.ok ? { bpm: r.analysis.tempo.bpm, key: r.analysis.key, mode: r.analysis.mode } : null)),
        { seeds: options.validationSeeds, excerptSeconds: options.excerptSeconds },
      )
    : undefined;
  return {
    dataset: options.dataset,
    folder,
    files: rows.length,
    failed: rows.filter((r) => r.error).length,
    tempo: {
      labelled: tempoRows.length,
      exactOctave: share(exactCount, tempoRows.length),
      withOctaveErrors: share(octaveCount, tempoRows.length),
      exactCount,
      withOctaveErrorsCount: octaveCount,
      tolerance: 0.04,
    },
    key: {
      labelled: keyRows.length,
      mirexScore: share(
        keyRows.reduce((s, r) => s + r.keyScore!, 0),
        keyRows.length,
      ),
      exactShare: share(keyExact, keyRows.length),
      exactCount: keyExact,
    },
    rows,
    labelCheck: checkLabels(rows),
    ...(validation ? { validation } : {}),
  };
}

function checkLabels(rows: AudioFeatureRow[]): LabelCheck {
  const tempoRows = rows.filter((r) => r.tempoLabel !== null);
  const withoutPulse = tempoRows.filter((r) => typeof r.scoreCheck?.pulseAtLabel === "number" && r.scoreCheck.pulseAtLabel < NO_PULSE).map((r) => r.path);
  // Any analysis that reports a beat the notes have misses those files, at the exact octave or not; at best it gets the rest.
  const reachable = tempoRows.filter((r) => !withoutPulse.includes(r.path)).length;
  const scoredKeys = rows.filter((r) => r.keyScore !== null && typeof r.scoreCheck?.keyFromNotesScore === "number");
  const againstTheirThird = rows.filter((r) => r.scoreCheck?.thirdAgainstLabel).map((r) => r.path);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    scored: rows.filter((r) => r.scoreCheck && !r.scoreCheck.error).length,
    tempo: {
      labelled: tempoRows.length,
      withoutPulse,
      noPulseBelow: NO_PULSE,
      best: tempoRows.length ? reachable / tempoRows.length : 0,
    },
    key: {
      labelled: scoredKeys.length,
      againstTheirThird,
      mirexFromNotes: mean(scoredKeys.map((r) => r.scoreCheck!.keyFromNotesScore!)),
      mirexOfAnalysis: mean(scoredKeys.map((r) => r.keyScore!)),
    },
  };
}
