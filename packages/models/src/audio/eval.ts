import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { AnalysisPool, type FileAnalysisResult } from "./pool.ts";
import { mirexKeyScore, readAudioLabels, tempoMatch } from "./labels.ts";
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
}

export interface AudioFeatureEvaluation {
  dataset: string;
  folder: string;
  files: number;
  failed: number;
  tempo: { labelled: number; exactOctave: number; withOctaveErrors: number; exactCount: number; withOctaveErrorsCount: number; tolerance: number };
  key: { labelled: number; mirexScore: number; exactShare: number; exactCount: number };
  rows: AudioFeatureRow[];
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
    ...(validation ? { validation } : {}),
  };
}
