// Writes the readable listings of the generated WebAssembly kernels (src/cf/wasm-cg.ts,
// wasm-simd.ts, wasm-dots.ts and wasm-spd.ts) beside them, in the WebAssembly text format, one file per module and variant:
//   npm run wasm:listing -w @deepcuts/models     (or: node --import tsx packages/models/scripts/wasm-listing.ts)
// src/cf/wasm-listing.test.ts regenerates them in memory and fails when a checked-in one differs,
// so a change to the opcode builders shows up in review as a change to these listings.
// The modules are disassembled by wabt (the WebAssembly Binary Toolkit's JavaScript build) from
// the same bytes the product runs, plus a name section so locals keep their builder names.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import wabtInit from "wabt";
import { cgModuleBytes } from "../src/cf/wasm-cg.ts";
import { simdModuleBytes } from "../src/cf/wasm-simd.ts";
import { dotsModuleBytes } from "../src/cf/wasm-dots.ts";
import { spdModuleBytes } from "../src/cf/wasm-spd.ts";

export const listingDir = join(dirname(fileURLToPath(import.meta.url)), "../src/cf");

/**
 * The factor count the CG module is listed for. The builders unroll over the k/4 vectors of a
 * factor row; 12 (3 vectors) takes every branch they have: the paired loops and their odd
 * remainder (gemv's chunk, dotLoop's tail turn, gram's single-vector tile). Other k repeat the
 * same blocks at other offsets.
 */
export const listedFactors = 12;

/** One line per exported function, printed above it in the listing. */
const summaries: Record<string, string> = {
  gemv: "out = G v for a symmetric k x k G: rows of G stream past 4-vector accumulators, two rows per turn.",
  sparseStep: "out += sum over plays q in [q0, q1) of (c_q - 1) (y_q . v) y_q: four plays per turn, then one at a time.",
  sparseResidual: "out += sum over plays q in [q0, q1) of (c_q - (c_q - 1) (y_q . v)) y_q: as sparseStep, other coefficient.",
  solve: "Warm-started conjugate gradient (Takacs et al. 2011, alg. 2) for rows [start, end) of x, calling gemv and the sparse kernels.",
  gram: "out = Y^T Y + reg I: upper triangle in 4 x 8 register tiles over L1-sized blocks of rows, then mirrored.",
  firstNonFinite: "Index of the first float of the first 4-float vector holding a NaN or an infinity, or -1.",
  scores: "out[u][i] = x_u . y_i + bias[i] for n queries and m items: a 4-accumulator dot product per pair.",
  rowDots:
    "out[r] = (row rows[r] of the k-column matrix at m) . q as float64, r < n: two f64x2 accumulators hold core/vector.ts's four sums, the tail goes into the first.",
  pairDot: "The k floats at pa . the k floats at pb, as rowDots computes one.",
  cholRows: "Cholesky pass of spd-inverse.ts for the block of rows i0..i0+7, columns j < i0: eight float64 sums in four f64x2, two streamed rows j a turn.",
  invRows: "V = L^-T pass for V rows j0..j0+7, rows i >= j0+8 of L streamed two at a time; T holds the block's V rows interleaved.",
  gramRows: "A^-1 = V V^T pass for columns c0..c0+7: T gathers their V rows interleaved, then rows b >= c0+8 stream past two at a time.",
};

interface Listed {
  file: string;
  source: string;
  variant: string;
  bytes: Uint8Array;
}

function modules(): Listed[] {
  const plain = "plain SIMD (f32x4 multiply, then add): what Node 20 runs";
  const relaxed = "relaxed SIMD (f32x4.relaxed_madd): what Node 22 and later run unless DEEPCUTS_WASM_RELAXED_SIMD=0";
  return [
    { file: `wasm-cg.k${listedFactors}.wat`, source: `wasm-cg.ts, k = ${listedFactors}`, variant: plain, bytes: cgModuleBytes(listedFactors, false, true) },
    {
      file: `wasm-cg.k${listedFactors}.relaxed.wat`,
      source: `wasm-cg.ts, k = ${listedFactors}`,
      variant: relaxed,
      bytes: cgModuleBytes(listedFactors, true, true),
    },
    { file: "wasm-simd.wat", source: "wasm-simd.ts (any k that is a multiple of 4)", variant: plain, bytes: simdModuleBytes(1, false, true) },
    { file: "wasm-simd.relaxed.wat", source: "wasm-simd.ts (any k that is a multiple of 4)", variant: relaxed, bytes: simdModuleBytes(1, true, true) },
    {
      file: "wasm-dots.wat",
      source: "wasm-dots.ts (any k)",
      variant: "plain SIMD (f64x2 from promoted float32 pairs): every Node version runs it, for results equal to the JavaScript loop's",
      bytes: dotsModuleBytes(1, true),
    },
    {
      file: "wasm-spd.wat",
      source: "wasm-spd.ts (any n)",
      variant: "plain SIMD (f64x2 multiply, then add, lanes never mixed): every Node version runs it, for an inverse equal to the JavaScript loops'",
      bytes: spdModuleBytes(1, true),
    },
  ];
}

/** Every listing as file name (in src/cf) and text. */
export async function wasmListings(): Promise<{ file: string; text: string }[]> {
  const wabt = await wabtInit();
  return modules().map(({ file, source, variant, bytes }) => {
    const module = wabt.readWasm(bytes, { readDebugNames: true, simd: true, threads: true, relaxed_simd: true });
    try {
      module.generateNames();
      module.applyNames();
      const text = module
        .toText({ foldExprs: true, inlineExport: false })
        .replace(/^( {2}\(func \$(\w+) )/gm, (line: string, _open: string, name: string) => `  ;; ${name}: ${summaries[name] ?? "(no summary)"}\n${line}`);
      const header = [
        `;; Generated by packages/models/scripts/wasm-listing.ts from ${source}; do not edit.`,
        `;; Variant: ${variant}.`,
        ";; Regenerate with `npm run wasm:listing -w @deepcuts/models`; src/cf/wasm-listing.test.ts checks it is current.",
        ";; Pointers are byte offsets into the shared memory; $B/$L name blocks and loops (br_if $B leaves, br $L repeats).",
      ];
      return { file, text: `${header.join("\n")}\n${text}` };
    } finally {
      module.destroy();
    }
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const { file, text } of await wasmListings()) {
    writeFileSync(join(listingDir, file), text);
    console.log(`wrote packages/models/src/cf/${file} (${text.split("\n").length} lines)`);
  }
}
