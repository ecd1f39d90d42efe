import { axpy, dot } from "../../core/vector.ts";
import { fold, reorderWeights, unfold } from "./im2col.ts";
import type { CnnKernels } from "./kernels.ts";

/**
 * Reference kernels over typed arrays. Convolutions unfold each clip (im2col.ts) so the inner
 * loops are long contiguous dot products and axpys; the gpu.js twins compute the same values
 * one output element per thread.
 */
export function createCpuKernels(): CnnKernels {
  return {
    name: "cpu",
    conv1dForward(x, w, b, n, cin, cout, t, k) {
      const y = new Float32Array(n * cout * t);
      const width = cin * k,
        wr = reorderWeights(w, cin, cout, k),
        col = new Float32Array(t * width);
      for (let s = 0; s < n; s++) {
        unfold(x, s, cin, t, k, col);
        let o = 0;
        // Four output channels share each load of the unfolded row (about 1.5x faster in V8).
        for (; o + 3 < cout; o += 4) {
          const w0 = o * width,
            w1 = w0 + width,
            w2 = w1 + width,
            w3 = w2 + width;
          for (let f = 0; f < t; f++) {
            const row = f * width;
            let a0 = 0,
              a1 = 0,
              a2 = 0,
              a3 = 0;
            for (let i = 0; i < width; i++) {
              const v = col[row + i];
              a0 += wr[w0 + i] * v;
              a1 += wr[w1 + i] * v;
              a2 += wr[w2 + i] * v;
              a3 += wr[w3 + i] * v;
            }
            const at = (s * cout + o) * t + f;
            y[at] = b[o] + a0;
            y[at + t] = b[o + 1] + a1;
            y[at + 2 * t] = b[o + 2] + a2;
            y[at + 3 * t] = b[o + 3] + a3;
          }
        }
        for (; o < cout; o++) {
          const yOff = (s * cout + o) * t;
          for (let f = 0; f < t; f++) y[yOff + f] = b[o] + dot(wr, o * width, col, f * width, width);
        }
      }
      return y;
    },
    conv1dBackwardInput(dy, w, n, cin, cout, t, k) {
      const dx = new Float32Array(n * cin * t);
      const width = cin * k,
        wr = reorderWeights(w, cin, cout, k),
        dcol = new Float32Array(t * width);
      for (let s = 0; s < n; s++) {
        dcol.fill(0);
        for (let o = 0; o < cout; o++) {
          const dyOff = (s * cout + o) * t;
          for (let f = 0; f < t; f++) {
            const g = dy[dyOff + f];
            if (g !== 0) axpy(g, wr, o * width, dcol, f * width, width);
          }
        }
        fold(dcol, s, cin, t, k, dx);
      }
      return dx;
    },
    conv1dBackwardWeights(x, dy, n, cin, cout, t, k) {
      const width = cin * k,
        dwr = new Float32Array(cout * width),
        col = new Float32Array(t * width);
      for (let s = 0; s < n; s++) {
        unfold(x, s, cin, t, k, col);
        for (let o = 0; o < cout; o++) {
          const dyOff = (s * cout + o) * t;
          // ReLU zeroes about half of dy, so skipping zeros saves real work.
          for (let f = 0; f < t; f++) {
            const g = dy[dyOff + f];
            if (g !== 0) axpy(g, col, f * width, dwr, o * width, width);
          }
        }
      }
      const dw = new Float32Array(cout * cin * k);
      for (let o = 0; o < cout; o++) {
        for (let c = 0; c < cin; c++) for (let j = 0; j < k; j++) dw[(o * cin + c) * k + j] = dwr[o * width + j * cin + c];
      }
      return dw;
    },
    conv1dBackwardBias(dy, n, cout, t) {
      const db = new Float32Array(cout);
      for (let s = 0; s < n; s++) {
        for (let o = 0; o < cout; o++) {
          const off = (s * cout + o) * t;
          let sum = 0;
          for (let f = 0; f < t; f++) sum += dy[off + f];
          db[o] += sum;
        }
      }
      return db;
    },
    relu(x) {
      const y = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : 0;
      return y;
    },
    reluBackward(y, dy) {
      const dx = new Float32Array(dy.length);
      for (let i = 0; i < dy.length; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
      return dx;
    },
    maxPool(x, rows, t, p) {
      const tOut = Math.floor(t / p);
      const y = new Float32Array(rows * tOut);
      for (let r = 0; r < rows; r++) {
        for (let f = 0; f < tOut; f++) {
          const start = r * t + f * p;
          let best = x[start];
          for (let j = 1; j < p; j++) if (x[start + j] > best) best = x[start + j];
          y[r * tOut + f] = best;
        }
      }
      return y;
    },
    maxPoolBackward(x, dy, rows, t, p) {
      const tOut = Math.floor(t / p);
      const dx = new Float32Array(rows * t);
      for (let r = 0; r < rows; r++) {
        for (let f = 0; f < tOut; f++) {
          const start = r * t + f * p;
          let at = start;
          for (let j = 1; j < p; j++) if (x[start + j] > x[at]) at = start + j;
          dx[at] = dy[r * tOut + f];
        }
      }
      return dx;
    },
    globalPool(x, n, c, t) {
      const y = new Float32Array(n * 3 * c);
      for (let s = 0; s < n; s++) {
        for (let ch = 0; ch < c; ch++) {
          const off = (s * c + ch) * t;
          let sum = 0,
            squares = 0,
            max = x[off];
          for (let f = 0; f < t; f++) {
            const v = x[off + f];
            sum += v;
            squares += v * v;
            if (v > max) max = v;
          }
          y[s * 3 * c + ch] = sum / t;
          y[s * 3 * c + c + ch] = max;
          y[s * 3 * c + 2 * c + ch] = Math.sqrt(squares / t);
        }
      }
      return y;
    },
    globalPoolBackward(x, pooled, dPooled, n, c, t) {
      const dx = new Float32Array(n * c * t);
      for (let s = 0; s < n; s++) {
        for (let ch = 0; ch < c; ch++) {
          const off = (s * c + ch) * t;
          const base = s * 3 * c;
          const dMean = dPooled[base + ch] / t;
          const max = pooled[base + c + ch];
          const rms = pooled[base + 2 * c + ch];
          // d rms / d x_f = x_f / (t rms); zero where rms is 0 (all-zero channel).
          const dRmsScale = rms > 0 ? dPooled[base + 2 * c + ch] / (t * rms) : 0;
          let maxTaken = false;
          for (let f = 0; f < t; f++) {
            const v = x[off + f];
            let g = dMean + dRmsScale * v;
            if (!maxTaken && v === max) {
              g += dPooled[base + c + ch];
              maxTaken = true;
            }
            dx[off + f] = g;
          }
        }
      }
      return dx;
    },
    dense(x, w, b, n, inputs, outputs) {
      const y = new Float32Array(n * outputs);
      for (let s = 0; s < n; s++) {
        const xOff = s * inputs;
        for (let o = 0; o < outputs; o++) {
          const wOff = o * inputs;
          y[s * outputs + o] = b[o] + dot(w, wOff, x, xOff, inputs);
        }
      }
      return y;
    },
    denseBackwardInput(dy, w, n, inputs, outputs) {
      const dx = new Float32Array(n * inputs);
      for (let s = 0; s < n; s++) {
        for (let o = 0; o < outputs; o++) axpy(dy[s * outputs + o], w, o * inputs, dx, s * inputs, inputs);
      }
      return dx;
    },
    denseBackwardWeights(x, dy, n, inputs, outputs) {
      const dw = new Float32Array(outputs * inputs);
      for (let s = 0; s < n; s++) {
        for (let o = 0; o < outputs; o++) axpy(dy[s * outputs + o], x, s * inputs, dw, o * inputs, inputs);
      }
      return dw;
    },
    denseBackwardBias(dy, n, outputs) {
      const db = new Float32Array(outputs);
      for (let s = 0; s < n; s++) for (let o = 0; o < outputs; o++) db[o] += dy[s * outputs + o];
      return db;
    },
    squaredErrorRows(y, target, n, d) {
      const rows = new Float32Array(n);
      for (let s = 0; s < n; s++) {
        let sum = 0;
        for (let i = s * d; i < (s + 1) * d; i++) sum += (y[i] - target[i]) ** 2;
        rows[s] = sum;
      }
      return rows;
    },
    mseGrad(y, target, n, d) {
      const g = new Float32Array(n * d);
      const scale = 2 / (n * d);
      for (let i = 0; i < n * d; i++) g[i] = scale * (y[i] - target[i]);
      return g;
    },
    dispose() {},
  };
}
