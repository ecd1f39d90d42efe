import { beforeAll, describe, expect, it } from "vitest";
import { CancelledError, NotFittedError, denseMatrix, gaussian, seededRandom, type DenseMatrix } from "../../core/index.ts";
import { coldStartAuc } from "./cold-start-auc.ts";
import { ContentNetwork, type EpochRecord } from "./content-network.ts";
import { LinearFeatureModel } from "./linear-feature-model.ts";
import type { ContentNetworkParams, Spectrogram } from "./params.ts";
import { CorruptModelError } from "./serialize.ts";
import { syntheticAudioSet } from "./synthetic.ts";

// Small enough for two shared cores: 24 bands, 96 frames, 8-d item vectors.
const small: Partial<ContentNetworkParams> = {
  timeDownsample: 2,
  convChannels: [16, 16],
  kernelSizes: [3, 3],
  poolSizes: [2, 2],
  denseSizes: [32],
  cropFrames: 24,
  batchSize: 16,
  learningRate: 0.003,
  maxEpochs: 30,
  patience: 4,
  backend: "cpu",
  seed: 5,
};
const set = syntheticAudioSet({ count: 330, bands: 24, frames: 96, targetDim: 8, latentDim: 4, random: seededRandom(2) });
const trainCount = 300;
const rowsOf = (m: DenseMatrix, from: number, to: number) => denseMatrix(to - from, m.cols, m.data.slice(from * m.cols, to * m.cols));

describe("ContentNetwork on a synthetic catalogue whose audio encodes the item vectors", () => {
  const network = new ContentNetwork(small);
  const epochs: EpochRecord[] = [];
  beforeAll(async () => {
    await network.fit(set.inputs.slice(0, trainCount), rowsOf(set.targets, 0, trainCount), {
      onEpoch: (epoch, trainLoss, valLoss) => epochs.push({ epoch, trainLoss, valLoss }),
    });
  }, 60_000);

  it("lowers validation loss well below predicting the mean target", () => {
    const best = Math.min(...network.lossHistory.map((r) => r.valLoss));
    expect(network.baselineValLoss).toBeGreaterThan(0);
    expect(best).toBeLessThan(0.4 * network.baselineValLoss);
    expect(network.lossHistory[network.bestEpoch - 1].valLoss).toBe(best);
    expect(epochs).toEqual(network.lossHistory);
  });

  it("ranks real listeners of never-trained tracks far above chance, and above a linear model on plain features", () => {
    const random = seededRandom(9);
    const users = denseMatrix(
      300,
      8,
      Float32Array.from({ length: 300 * 8 }, () => gaussian(random)),
    );
    const heldOut = rowsOf(set.targets, trainCount, set.inputs.length);
    // A user listens to a held-out track when the true item vector scores in their top 20%.
    const positives = Array.from({ length: heldOut.rows }, (_, i) => {
      const scores = Array.from({ length: users.rows }, (_, u) => {
        let s = 0;
        for (let j = 0; j < 8; j++) s += users.data[u * 8 + j] * heldOut.data[i * 8 + j];
        return s;
      });
      const cut = [...scores].sort((a, b) => b - a)[Math.floor(0.2 * users.rows)];
      return Int32Array.from(scores.flatMap((s, u) => (s > cut ? [u] : [])));
    });
    const cnnAuc = coldStartAuc(network.predict(set.inputs.slice(trainCount)), users, positives);
    const linear = new LinearFeatureModel().fit(rowsOf(set.features, 0, trainCount), rowsOf(set.targets, 0, trainCount));
    const linearAuc = coldStartAuc(linear.predict(rowsOf(set.features, trainCount, set.inputs.length)), users, positives);
    const randomAuc = coldStartAuc(
      denseMatrix(
        heldOut.rows,
        8,
        Float32Array.from({ length: heldOut.rows * 8 }, () => gaussian(random)),
      ),
      users,
      positives,
    );
    expect(cnnAuc).toBeGreaterThan(0.85);
    expect(cnnAuc).toBeGreaterThan(linearAuc + 0.05);
    expect(Math.abs(randomAuc - 0.5)).toBeLessThan(0.1);
  });

  it("predicts unit-length vectors for clips of any length, independent of batching", () => {
    const clip = set.inputs[trainCount];
    const shorter: Spectrogram = { bands: 24, frames: 40, data: new Float32Array(24 * 40) };
    shorter.data.set(clip.data.subarray(0, 24 * 40)); // the first 40 frames (rows of 24 bands)
    const together = network.predict([clip, shorter, set.inputs[trainCount + 1]]);
    expect(together.rows).toBe(3);
    expect(together.cols).toBe(8);
    for (let r = 0; r < 3; r++) {
      const norm = Math.hypot(...together.data.subarray(r * 8, (r + 1) * 8));
      expect(norm).toBeCloseTo(1, 5);
    }
    const alone = network.predict([shorter]);
    alone.data.forEach((v, i) => expect(together.data[8 + i]).toBeCloseTo(v, 5));
  });

  it("saves and loads to the same predictions, and names what is wrong with corrupt bytes", () => {
    const bytes = network.save();
    const loaded = ContentNetwork.load(bytes);
    const clips = set.inputs.slice(trainCount, trainCount + 5);
    expect(Array.from(loaded.predict(clips).data)).toEqual(Array.from(network.predict(clips).data));
    expect(loaded.lossHistory).toEqual(network.lossHistory);
    expect(() => ContentNetwork.load(bytes.slice(0, bytes.length - 8))).toThrow(/expected \d+ bytes/);
    const flipped = bytes.slice();
    flipped[flipped.length - 3] ^= 0xff;
    expect(() => ContentNetwork.load(flipped)).toThrow(/checksum/);
    expect(() => ContentNetwork.load(new TextEncoder().encode("not a model at all"))).toThrow(CorruptModelError);
  });
});

describe("ContentNetwork guards", () => {
  const few = syntheticAudioSet({ count: 12, bands: 8, frames: 32, targetDim: 4, latentDim: 2, random: seededRandom(4) });
  const tiny: Partial<ContentNetworkParams> = { ...small, convChannels: [4], kernelSizes: [3], poolSizes: [2], denseSizes: [], cropFrames: 8, maxEpochs: 3 };

  it("refuses to predict or save before fit", () => {
    expect(() => new ContentNetwork().predict(few.inputs)).toThrow(NotFittedError);
    expect(() => new ContentNetwork().save()).toThrow(NotFittedError);
  });

  it("stops with CancelledError when the signal aborts, leaving the model unfitted", async () => {
    const network = new ContentNetwork(tiny);
    const controller = new AbortController();
    const run = network.fit(few.inputs, few.targets, { signal: controller.signal, onEpoch: () => controller.abort() });
    await expect(run).rejects.toThrow(CancelledError);
    expect(network.isFitted).toBe(false);
  });

  it("validates parameters and inputs with the numbers that are wrong", async () => {
    expect(() => new ContentNetwork({ kernelSizes: [4, 3] })).toThrow("kernelSizes[0] must be odd");
    expect(() => new ContentNetwork({ convChannels: [8], kernelSizes: [3, 3] })).toThrow("one entry per conv layer (1), got 2");
    const network = new ContentNetwork(tiny);
    await expect(network.fit(few.inputs, rowsOf(few.targets, 0, 5))).rejects.toThrow("inputs (12) and targets rows (5) must match");
    const tooShort = [...few.inputs];
    tooShort[3] = { bands: 8, frames: 2, data: new Float32Array(16) };
    await expect(network.fit(tooShort, few.targets)).rejects.toThrow("spectrogram 3 has 2 frames");
    const wrongBands = [...few.inputs];
    wrongBands[5] = { bands: 6, frames: 32, data: new Float32Array(6 * 32) };
    await expect(network.fit(wrongBands, few.targets)).rejects.toThrow("spectrogram 5 has 6 bands, expected 8");
  });
});
