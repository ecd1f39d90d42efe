/**
 * Per-listener z-scores of one source's scores over the eligible items, so no source drowns the
 * others by scale: out[i] = (s[i] - mean) / std over items with eligible[i] = 1. A source with
 * no spread (all equal, or one eligible item) contributes 0 everywhere. Non-finite scores
 * (a source that has nothing to say about an item) get the lowest z-score of that source.
 */
export function zScores(scores: Float32Array, eligible: Uint8Array, out = new Float32Array(scores.length)): Float32Array {
  let n = 0,
    sum = 0,
    sumSq = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (eligible[i] && Number.isFinite(s)) {
      n++;
      sum += s;
      sumSq += s * s;
    }
  }
  const mean = n ? sum / n : 0;
  const variance = n > 1 ? Math.max(0, sumSq / n - mean * mean) : 0;
  const std = Math.sqrt(variance);
  if (std < 1e-12) {
    out.fill(0);
    return out;
  }
  let lowest = Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    out[i] = Number.isFinite(s) ? (s - mean) / std : NaN;
    if (eligible[i] && out[i] < lowest) lowest = out[i];
  }
  for (let i = 0; i < scores.length; i++) if (Number.isNaN(out[i])) out[i] = lowest;
  return out;
}

/** Σ_k weight_k * z_k(i): the blended score of every item (weight 0 skips a source entirely). */
export function blendZScores(
  sources: { weight: number; scores: Float32Array }[],
  eligible: Uint8Array,
  items: number,
): { total: Float32Array; parts: Float32Array[] } {
  const total = new Float32Array(items);
  const parts: Float32Array[] = [];
  for (const source of sources) {
    if (source.weight === 0) {
      parts.push(new Float32Array(items));
      continue;
    }
    const z = zScores(source.scores, eligible);
    for (let i = 0; i < items; i++) {
      z[i] *= source.weight;
      total[i] += z[i];
    }
    parts.push(z);
  }
  return { total, parts };
}
