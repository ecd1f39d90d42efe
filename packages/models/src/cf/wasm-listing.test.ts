import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listedFactors, listingDir, wasmListings } from "../../scripts/wasm-listing.ts";
import { cgModuleBytes } from "./wasm-cg.ts";
import { simdModuleBytes } from "./wasm-simd.ts";
import { dotsModuleBytes } from "./wasm-dots.ts";
import { spdModuleBytes } from "./wasm-spd.ts";

describe("the readable listings of the generated WebAssembly kernels", () => {
  it("are current (regenerate: npm run wasm:listing -w @deepcuts/models)", async () => {
    const listings = await wasmListings();
    expect(listings.map((l) => l.file)).toEqual([
      `wasm-cg.k${listedFactors}.wat`,
      `wasm-cg.k${listedFactors}.relaxed.wat`,
      "wasm-simd.wat",
      "wasm-simd.relaxed.wat",
      "wasm-dots.wat",
      "wasm-spd.wat",
    ]);
    for (const { file, text } of listings) expect(text, file).toBe(readFileSync(join(listingDir, file), "utf8"));
  });

  it("list the bytes the product runs: the named modules are the plain ones plus a trailing name section", () => {
    for (const relaxed of [false, true]) {
      const pairs = [
        [cgModuleBytes(listedFactors, relaxed), cgModuleBytes(listedFactors, relaxed, true)],
        [simdModuleBytes(1, relaxed), simdModuleBytes(1, relaxed, true)],
        [dotsModuleBytes(1), dotsModuleBytes(1, true)],
        [spdModuleBytes(1), spdModuleBytes(1, true)],
      ];
      for (const [run, listed] of pairs) {
        expect(listed.length).toBeGreaterThan(run.length);
        expect(listed.subarray(0, run.length)).toEqual(run);
        // A custom section (id 0) called "name" (length 4, then the letters).
        expect(listed[run.length]).toBe(0);
        expect(new TextDecoder().decode(listed.subarray(run.length, run.length + 8))).toContain("\u0004name");
      }
    }
  });
});
