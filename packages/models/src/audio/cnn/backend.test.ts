import { describe, expect, it } from "vitest";
import { gpuProbe } from "../../core/backend.ts";
import { seededRandom } from "../../core/index.ts";
import { createCnnKernels } from "./backend.ts";
import { ContentNetwork } from "./content-network.ts";
import { syntheticAudioSet } from "./synthetic.ts";

describe("createCnnKernels", () => {
  it("gives the reference for cpu, gpu.js for gpu, and gpu.js for auto only on a real GPU device", () => {
    expect(createCnnKernels("cpu").name).toBe("cpu");
    const gpu = createCnnKernels("gpu");
    expect(gpu.name).toBe("gpu");
    gpu.dispose();
    const auto = createCnnKernels("auto");
    expect(auto.name).toBe(gpuProbe().realGpu ? "gpu" : "cpu");
    auto.dispose();
  });

  it("rejects an unknown backend by name", () => {
    expect(() => createCnnKernels("tpu" as never)).toThrow('backend must be "auto", "cpu" or "gpu", got "tpu"');
  });

  it("trains to the same losses on gpu.js as on the CPU reference (same seed)", async () => {
    const set = syntheticAudioSet({ count: 40, bands: 8, frames: 24, targetDim: 4, latentDim: 2, random: seededRandom(6) });
    const params = {
      convChannels: [6, 6],
      kernelSizes: [3, 3],
      poolSizes: [2, 1],
      denseSizes: [8],
      timeDownsample: 1,
      cropFrames: 16,
      batchSize: 8,
      maxEpochs: 3,
      seed: 3,
    };
    const cpu = await new ContentNetwork({ ...params, backend: "cpu" }).fit(set.inputs, set.targets);
    const gpu = await new ContentNetwork({ ...params, backend: "gpu" }).fit(set.inputs, set.targets);
    expect(gpu.backendName).toBe("gpu");
    expect(gpu.lossHistory).toHaveLength(3);
    gpu.lossHistory.forEach((record, i) => {
      expect(record.trainLoss).toBeCloseTo(cpu.lossHistory[i].trainLoss, 4);
      expect(record.valLoss).toBeCloseTo(cpu.lossHistory[i].valLoss, 4);
    });
    gpu.dispose();
  });
});
