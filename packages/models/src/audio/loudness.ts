/**
 * Integrated loudness (LUFS) of a mono signal per ITU-R BS.1770-4: K-weighting (a high shelf
 * and a high-pass), mean square over 400 ms blocks with 75% overlap, an absolute gate at
 * -70 LUFS and a relative gate 10 LU below the ungated mean. Mono counts as one front channel.
 */

type Biquad = [b0: number, b1: number, b2: number, a1: number, a2: number];

// K-weighting coefficients for any sample rate by the bilinear transform of the analogue
// prototypes whose 48 kHz coefficients are tabled in BS.1770-4 (as derived in libebur128).
function kWeighting(sampleRate: number): [Biquad, Biquad] {
  let f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  let q = 0.7071752369554196;
  let k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = 10 ** (gainDb / 20);
  const vb = vh ** 0.4996667741545416;
  let a0 = 1 + k / q + k * k;
  const shelf: Biquad = [
    (vh + (vb * k) / q + k * k) / a0,
    (2 * (k * k - vh)) / a0,
    (vh - (vb * k) / q + k * k) / a0,
    (2 * (k * k - 1)) / a0,
    (1 - k / q + k * k) / a0,
  ];
  f0 = 38.13547087602444;
  q = 0.5003270373238773;
  k = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + k / q + k * k;
  const highPass: Biquad = [1, -2, 1, (2 * (k * k - 1)) / a0, (1 - k / q + k * k) / a0];
  return [shelf, highPass];
}

function filter(x: Float32Array | Float64Array, [b0, b1, b2, a1, a2]: Biquad): Float64Array {
  const y = new Float64Array(x.length);
  let x1 = 0,
    x2 = 0,
    y1 = 0,
    y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x[i];
    y2 = y1;
    y1 = v;
    y[i] = v;
  }
  return y;
}

/** Integrated loudness in LUFS; -Infinity when every block is below the -70 LUFS gate. */
export function integratedLoudness(samples: Float32Array, sampleRate: number): number {
  const [shelf, highPass] = kWeighting(sampleRate);
  const weighted = filter(filter(samples, shelf), highPass);
  const block = Math.round(0.4 * sampleRate);
  const step = Math.round(0.1 * sampleRate);
  const powers: number[] = [];
  const prefix = new Float64Array(weighted.length + 1);
  for (let i = 0; i < weighted.length; i++) prefix[i + 1] = prefix[i] + weighted[i] * weighted[i];
  for (let start = 0; start + block <= weighted.length; start += step) {
    powers.push((prefix[start + block] - prefix[start]) / block);
  }
  // BS.1770-4 eq. 2: L = -0.691 + 10 log10(mean square).
  const lufs = (power: number) => -0.691 + 10 * Math.log10(power);
  const gated = (threshold: number) => powers.filter((p) => lufs(p) > threshold);
  const absolute = gated(-70);
  if (absolute.length === 0) return -Infinity;
  const relativeGate = lufs(absolute.reduce((s, p) => s + p, 0) / absolute.length) - 10;
  const kept = absolute.filter((p) => lufs(p) > relativeGate);
  return lufs(kept.reduce((s, p) => s + p, 0) / kept.length);
}

/** ReplayGain 2.0 gain in dB: the change that brings the track to the -18 LUFS reference. */
export function replayGainDb(loudnessLufs: number): number {
  return -18 - loudnessLufs;
}
