import { fft } from "@deepcuts/models/audio";

/**
 * Magnitude spectra of Hann-windowed frames: calls `visit(frameIndex, magnitudes)` per frame. The
 * FFT is the analysis code's (packages/models/src/audio/fft.ts, tested there against a direct DFT).
 */
export function spectra(samples: Float32Array, frameSize: number, hop: number, visit: (frame: number, magnitudes: Float64Array) => void): void {
  const re = new Float64Array(frameSize);
  const im = new Float64Array(frameSize);
  const magnitudes = new Float64Array(frameSize / 2 + 1);
  const window = Float64Array.from({ length: frameSize }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / frameSize));
  for (let frame = 0, start = 0; start + frameSize <= samples.length; frame++, start += hop) {
    for (let i = 0; i < frameSize; i++) {
      re[i] = samples[start + i] * window[i];
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < magnitudes.length; k++) magnitudes[k] = Math.sqrt(re[k] * re[k] + im[k] * im[k]);
    visit(frame, magnitudes);
  }
}
