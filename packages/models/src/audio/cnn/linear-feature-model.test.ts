import { describe, expect, it } from "vitest";
import { NotFittedError, denseMatrix, seededRandom } from "../../core/index.ts";
import { LinearFeatureModel } from "./linear-feature-model.ts";
import { CorruptModelError } from "./serialize.ts";

// Features (cos a, sin a, noise) and unit targets (cos(a + 1), sin(a + 1)): a rotation, so
// the targets are exactly linear in the first two features and already unit length.
function rotationSet(count: number, seed: number) {
  const random = seededRandom(seed);
  const features = denseMatrix(count, 3),
    targets = denseMatrix(count, 2);
  for (let i = 0; i < count; i++) {
    const a = random() * 2 * Math.PI;
    features.data.set([Math.cos(a), Math.sin(a), random()], i * 3);
    targets.data.set([Math.cos(a + 1), Math.sin(a + 1)], i * 2);
  }
  return { features, targets };
}

describe("LinearFeatureModel (ridge baseline)", () => {
  it("recovers an exactly linear map with a small penalty", () => {
    const train = rotationSet(200, 1),
      test = rotationSet(20, 2);
    const predicted = new LinearFeatureModel({ lambda: 1e-6 }).fit(train.features, train.targets).predict(test.features);
    predicted.data.forEach((v, i) => expect(v).toBeCloseTo(test.targets.data[i], 4));
  });

  it("shrinks every prediction to the mean target direction under a huge penalty", () => {
    const train = rotationSet(200, 3);
    const scaled = denseMatrix(
      200,
      2,
      train.targets.data.map((v, i) => v + (i % 2 === 0 ? 3 : 0)),
    );
    const predicted = new LinearFeatureModel({ lambda: 1e9 }).fit(train.features, scaled).predict(train.features);
    for (let r = 1; r < 200; r++) {
      expect(predicted.data[r * 2]).toBeCloseTo(predicted.data[0], 4);
      expect(predicted.data[r * 2 + 1]).toBeCloseTo(predicted.data[1], 4);
    }
  });

  it("saves and loads to identical predictions; refuses before fit and on foreign bytes", () => {
    const train = rotationSet(50, 4);
    const model = new LinearFeatureModel().fit(train.features, train.targets);
    const loaded = LinearFeatureModel.load(model.save());
    expect(Array.from(loaded.predict(train.features).data)).toEqual(Array.from(model.predict(train.features).data));
    expect(() => new LinearFeatureModel().predict(train.features)).toThrow(NotFittedError);
    expect(() => LinearFeatureModel.load(new Uint8Array(40))).toThrow(CorruptModelError);
    expect(() => model.predict(denseMatrix(1, 2))).toThrow("features must have 3 columns, got 2");
    expect(() => new LinearFeatureModel({ lambda: -1 })).toThrow("lambda must be >= 0, got -1");
  });
});
