import { seededRandom } from "./packages/models/src/core/index.ts";
import { createCpuKernels } from "./packages/models/src/audio/cnn/kernels-cpu.ts";
import { createGpuKernels } from "./packages/models/src/audio/cnn/kernels-gpu.ts";
import { initParameters, forward, backward } from "./packages/models/src/audio/cnn/network.ts";
const which = process.argv[2] ?? "cpu";
const base: any = which === "cpu" ? createCpuKernels() : createGpuKernels();
const times: Record<string, number> = {};
const k: any = {};
for (const name of Object.keys(base)) {
  if (typeof base[name] !== "function") { continue; }
  k[name] = (...a: any[]) => { const t = performance.now(); const r = base[name](...a); times[name] = (times[name] ?? 0) + performance.now() - t; return r; };
}
const shape = { bands: 96, convChannels: [32, 64], kernelSizes: [5, 3], poolSizes: [2, 2], denseSizes: [128], outputDim: 64 };
const r = seededRandom(1);
const params = initParameters(shape, r);
const n = 32, t = 64;
const x = Float32Array.from({ length: n * 96 * t }, () => r() - 0.5);
for (let rep = 0; rep < 6; rep++) {
  if (rep === 1) for (const key in times) times[key] = 0;
  const c = forward(k, shape, params, x, n, t);
  backward(k, shape, params, c, k.mseGrad(c.output, new Float32Array(n * 64), n, 64));
}
let total = 0;
for (const [name, v] of Object.entries(times)) { total += v; console.log(name.padEnd(24), (v / 5).toFixed(2), "ms/batch"); }
console.log("total", (total / 5).toFixed(1), "ms per batch of 32");
