import { describe, expect, it } from "vitest";
import {
  BLEND_CONSTRAINTS,
  BLEND_SOURCES,
  BLEND_WEIGHTS,
  BlendFieldError,
  defaultBlendConstraints,
  defaultBlendWeights,
  parseBlendConstraints,
  parseBlendWeights,
  validateBlend,
  type BlendConstraints,
  type BlendWeights,
} from "./weights.ts";

/** The error validateBlend throws for these settings, or null when they pass. */
function failure(weights: Partial<BlendWeights>, constraints: Partial<BlendConstraints> = {}): BlendFieldError | null {
  try {
    validateBlend({ ...defaultBlendWeights, ...weights }, { ...defaultBlendConstraints, ...constraints });
    return null;
  } catch (error) {
    if (error instanceof BlendFieldError) return error;
    throw error;
  }
}

describe("blend weights", () => {
  it("lists the six sources once, with defaults inside their ranges", () => {
    expect(BLEND_SOURCES).toEqual(["collaborative", "text", "audio", "coMention", "popularity", "novelty"]);
    expect(defaultBlendWeights).toEqual({ collaborative: 1, text: 0.3, audio: 0.3, coMention: 0.3, popularity: 0.1, novelty: 0 });
    expect(defaultBlendConstraints).toEqual({
      playlistSize: 30,
      artistCap: 2,
      knownArtistShare: 0.3,
      diversity: 0.2,
      excludeSkipped: true,
      explorationSlots: 3,
    });
    for (const w of BLEND_WEIGHTS) expect(w.default >= w.min && w.default <= w.max, w.name).toBe(true);
    expect(failure({})).toBeNull();
  });

  it("accepts each weight's range ends and names the field just outside them", () => {
    for (const w of BLEND_WEIGHTS) {
      expect(failure({ [w.name]: w.min })).toBeNull();
      expect(failure({ [w.name]: w.max })).toBeNull();
      for (const bad of [w.min - 0.01, w.max + 0.01, NaN, Infinity]) {
        const e = failure({ [w.name]: bad });
        expect(e?.field).toBe(`weights.${w.name}`);
        expect(e?.problem).toBe(`must be a number ${w.min}..${w.max}, got ${bad}`);
        expect(e?.message).toBe(`weights.${w.name} must be a number ${w.min}..${w.max}, got ${bad}`);
      }
    }
    // A missing source is an error too, not a silent zero.
    const { text: _text, ...withoutText } = defaultBlendWeights;
    expect(() => validateBlend(withoutText as BlendWeights, defaultBlendConstraints)).toThrow(
      expect.objectContaining({ field: "weights.text", problem: "must be a number 0..10, got undefined" }),
    );
  });

  it("checks each constraint's range, integers and the exploration slots against the playlist size", () => {
    expect(failure({}, { playlistSize: 100, artistCap: 30, knownArtistShare: 1, diversity: 0, explorationSlots: 100 })).toBeNull();
    expect(failure({}, { playlistSize: 101 })).toMatchObject({ field: "constraints.playlistSize", problem: "must be an integer 1..100, got 101" });
    expect(failure({}, { playlistSize: 10.5 })?.field).toBe("constraints.playlistSize");
    expect(failure({}, { artistCap: 0 })).toMatchObject({ field: "constraints.artistCap", problem: "must be an integer 1..30, got 0" });
    expect(failure({}, { knownArtistShare: 1.5 })).toMatchObject({ field: "constraints.knownArtistShare", problem: "must be 0..1, got 1.5" });
    expect(failure({}, { diversity: -0.1 })?.field).toBe("constraints.diversity");
    expect(failure({}, { playlistSize: 5, explorationSlots: 6 })).toMatchObject({
      field: "constraints.explorationSlots",
      problem: "must be an integer 0..playlistSize (5), got 6",
    });
    expect(failure({}, { explorationSlots: undefined })).toBeNull();
    // Weights are checked before constraints: the first field at fault is the one named.
    expect(failure({ audio: 11 }, { artistCap: 0 })?.field).toBe("weights.audio");
    expect(new BlendFieldError("weights.text", "x")).toBeInstanceOf(RangeError);
  });

  it("parses stored JSON instead of trusting it", () => {
    expect(parseBlendWeights({ ...defaultBlendWeights, retired: 5 })).toEqual(defaultBlendWeights);
    expect(() => parseBlendWeights({ ...defaultBlendWeights, novelty: "1" })).toThrow(expect.objectContaining({ field: "weights.novelty" }));
    expect(() => parseBlendWeights(null)).toThrow(expect.objectContaining({ field: "weights" }));
    // A blend saved before the co-mention source existed reads as not using it; one that names it is checked.
    const { coMention: _coMention, ...beforeCoMention } = { ...defaultBlendWeights, coMention: 0.5 };
    expect(parseBlendWeights(beforeCoMention)).toEqual({ ...defaultBlendWeights, coMention: 0 });
    expect(() => parseBlendWeights({ ...defaultBlendWeights, coMention: null })).toThrow(expect.objectContaining({ field: "weights.coMention" }));
    const { explorationSlots: _slots, ...older } = defaultBlendConstraints;
    expect(parseBlendConstraints({ ...older, playlistSize: 10 })).toEqual({
      ...older,
      playlistSize: 10,
      explorationSlots: BLEND_CONSTRAINTS.explorationSlots.default,
    });
    expect(() => parseBlendConstraints({ ...defaultBlendConstraints, excludeSkipped: "yes" })).toThrow(
      expect.objectContaining({ field: "constraints.excludeSkipped" }),
    );
    expect(() => parseBlendConstraints({ ...defaultBlendConstraints, artistCap: 31 })).toThrow(expect.objectContaining({ field: "constraints.artistCap" }));
    expect(() => parseBlendConstraints([])).toThrow(expect.objectContaining({ field: "constraints" }));
  });
});
