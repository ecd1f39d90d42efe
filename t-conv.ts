import { createCpuKernels } from "./packages/models/src/audio/cnn/kernels-cpu.ts";
const K = createCpuKernels();
const n = 32, cin = 96, cout = 32, t = 32, k = 3;
const x = Float32Array.from({ length: n * cin * t }, () => Math.random());
const w = Float32Array.from({ length: cout * cin * k }, () => Math.random());
const b = new Float32Array(cout);
function im2colForward(x: Float32Array, w: Float32Array, b: Float32Array, n: number, cin: number, cout: number, t: number, k: number) {
  const pad = (k - 1) >> 1, width = cin * k;
  const wr = new Float32Array(cout * width);
  for (let o = 0; o < cout; o++) for (let c = 0; c < cin; c++) for (let j = 0; j < k; j++) wr[o * width + j * cin + c] = w[(o * cin + c) * k + j];
  const col = new Float32Array(t * width);
  const y = new Float32Array(n * cout * t);
  for (let s = 0; s < n; s++) {
    col.fill(0);
    for (let c = 0; c < cin; c++) {
      const xo = (s * cin + c) * t;
      for (let f = 0; f < t; f++) {
        for (let j = 0; j < k; j++) { const g = f + j - pad; if (g >= 0 && g < t) col[f * width + j * cin + c] = x[xo + g]; }
      }
    }
    for (let o = 0; o < cout; o++) {
      const wo = o * width, yo = (s * cout + o) * t;
      for (let f = 0; f < t; f++) {
        const co = f * width;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
        for (; i + 3 < width; i += 4) { s0 += wr[wo + i] * col[co + i]; s1 += wr[wo + i + 1] * col[co + i + 1]; s2 += wr[wo + i + 2] * col[co + i + 2]; s3 += wr[wo + i + 3] * col[co + i + 3]; }
        for (; i < width; i++) s0 += wr[wo + i] * col[co + i];
        y[yo + f] = b[o] + s0 + s1 + s2 + s3;
      }
    }
  }
  return y;
}
for (let rep = 0; rep < 4; rep++) {
  let t0 = performance.now(); const y1 = K.conv1dForward(x, w, b, n, cin, cout, t, k); const ta = performance.now() - t0;
  t0 = performance.now(); const y2 = im2colForward(x, w, b, n, cin, cout, t, k); const tb = performance.now() - t0;
  let d = 0; for (let i = 0; i < y1.length; i++) d = Math.max(d, Math.abs(y1[i] - y2[i]));
  const macs = n * cin * cout * t * k;
  console.log("axpy", (macs / ta / 1e3).toFixed(0), "MMAC/s; im2col", (macs / tb / 1e3).toFixed(0), "MMAC/s; diff", d);
}
