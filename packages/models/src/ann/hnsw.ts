import type { Random } from "../core/random.ts";
import { seededRandom } from "../core/random.ts";
import { assertK, type NeighbourIndex, type Neighbours } from "./neighbour-index.ts";
import { PairHeap } from "./pair-heap.ts";
import { normaliseRows, UnitRows, type VectorSet } from "./vectors.ts";

export interface HnswOptions {
  /** Links per node on upper layers (layer 0 keeps 2M). Default 16. */
  m?: number;
  /** Candidate list size while building. Default 100. */
  efConstruction?: number;
  /** Default candidate list size while searching (raised to k when smaller). Default 64. */
  efSearch?: number;
  random?: Random;
  /** Leave the graph empty: the caller inserts rows with `insertRows` (see buildHnswAsync). */
  deferBuild?: boolean;
}

/**
 * Hierarchical navigable small-world graph over unit vectors, searched by cosine similarity.
 * Malkov & Yashunin, "Efficient and robust approximate nearest neighbor search using HNSW
 * graphs" (TPAMI 2018): insertion is Algorithm 1, layer search Algorithm 2, and neighbour
 * selection the heuristic of Algorithm 4 (keep a candidate only when it is closer to the new
 * node than to every neighbour already kept), which keeps the graph navigable on clusters.
 */
export class HnswIndex extends UnitRows implements NeighbourIndex {
  readonly kind = "hnsw" as const;
  readonly m: number;
  readonly efConstruction: number;
  efSearch: number;
  /** links[layer][row]: neighbour rows; undefined above a row's top layer. */
  private readonly links: (Int32Array | undefined)[][] = [];
  private readonly linkCount: Uint16Array[] = [];
  private entry = -1;
  private topLayer = -1;
  private visited: Uint32Array;
  private visitMark = 0;
  private insertedRows = 0;
  private readonly random: Random;

  constructor(set: VectorSet, options: HnswOptions = {}) {
    super(set);
    this.m = options.m ?? 16;
    if (!Number.isInteger(this.m) || this.m < 2 || this.m > 256) throw new RangeError(`m must be an integer 2..256, got ${this.m}`);
    this.efConstruction = options.efConstruction ?? 100;
    if (!Number.isInteger(this.efConstruction) || this.efConstruction < 1)
      throw new RangeError(`efConstruction must be a positive integer, got ${this.efConstruction}`);
    this.efSearch = options.efSearch ?? 64;
    this.visited = new Uint32Array(this.size);
    this.random = options.random ?? seededRandom(1);
    if (!options.deferBuild) this.insertRows(0, this.size);
  }

  /** Rows inserted so far; the index answers only once all are (`built`). */
  get inserted(): number {
    return this.insertedRows;
  }

  get built(): boolean {
    return this.insertedRows === this.size;
  }

  /** Inserts the next rows up to `to` (in row order), so a long build can yield in between. */
  insertRows(from: number, to: number): void {
    if (from !== this.insertedRows) throw new RangeError(`rows must be inserted in order: next is ${this.insertedRows}, got ${from}`);
    const levelScale = 1 / Math.log(this.m);
    for (let row = from; row < Math.min(to, this.size); row++) {
      // Level drawn from an exponentially decaying distribution, mL = 1/ln(M) (paper, section 4).
      const level = Math.min(16, Math.floor(-Math.log(1 - this.random()) * levelScale));
      this.insert(row, level);
      this.insertedRows = row + 1;
    }
  }

  private maxLinks(layer: number): number {
    return layer === 0 ? 2 * this.m : this.m;
  }

  private similarity(q: Float32Array, row: number): number {
    const off = row * this.dim,
      u = this.unit;
    let s = 0;
    for (let j = 0; j < this.dim; j++) s += u[off + j] * q[j];
    return s;
  }

  private ensureLayer(layer: number): void {
    while (this.links.length <= layer) {
      this.links.push(new Array<Int32Array | undefined>(this.size));
      this.linkCount.push(new Uint16Array(this.size));
    }
  }

  private neighbours(layer: number, row: number): Int32Array {
    return this.links[layer][row]!.subarray(0, this.linkCount[layer][row]);
  }

  /** Algorithm 2: best-first search of one layer from `entries`, keeping `ef` results. */
  private searchLayer(q: Float32Array, entries: number[], ef: number, layer: number): PairHeap {
    if (++this.visitMark === 0xffffffff) {
      this.visited.fill(0);
      this.visitMark = 1;
    }
    const mark = this.visitMark;
    const candidates = new PairHeap(true);
    const results = new PairHeap(false);
    for (const e of entries) {
      this.visited[e] = mark;
      const s = this.similarity(q, e);
      candidates.push(s, e);
      results.push(s, e);
    }
    while (candidates.size > 0) {
      const s = candidates.topScore(),
        c = candidates.topRow();
      if (results.size >= ef && s < results.topScore()) break;
      candidates.pop();
      const list = this.neighbours(layer, c);
      for (let i = 0; i < list.length; i++) {
        const n = list[i];
        if (this.visited[n] === mark) continue;
        this.visited[n] = mark;
        const sn = this.similarity(q, n);
        if (results.size < ef || sn > results.topScore()) {
          candidates.push(sn, n);
          results.push(sn, n);
          if (results.size > ef) results.pop();
        }
      }
    }
    return results;
  }

  /** Algorithm 4: candidates best first; keep one only when no kept neighbour is closer to it. */
  private selectNeighbours(candidates: { scores: number[]; rows: number[] }, max: number): number[] {
    const kept: number[] = [];
    for (let i = 0; i < candidates.rows.length && kept.length < max; i++) {
      const c = candidates.rows[i];
      const toQuery = candidates.scores[i];
      const cv = this.vectorAt(c);
      let good = true;
      for (const k of kept) {
        if (this.similarity(cv, k) > toQuery) {
          good = false;
          break;
        }
      }
      if (good) kept.push(c);
    }
    return kept;
  }

  private setLinks(layer: number, row: number, list: number[]): void {
    const arr = this.links[layer][row]!;
    arr.set(list);
    this.linkCount[layer][row] = list.length;
  }

  /** Algorithm 1. */
  private insert(row: number, level: number): void {
    this.ensureLayer(level);
    for (let l = 0; l <= level; l++) {
      this.links[l][row] = new Int32Array(this.maxLinks(l) + 1);
    }
    if (this.entry < 0) {
      this.entry = row;
      this.topLayer = level;
      return;
    }
    const q = this.vectorAt(row);
    let entries = [this.entry];
    for (let l = this.topLayer; l > level; l--) {
      const r = this.searchLayer(q, entries, 1, l).drainDescending();
      entries = [r.rows[0]];
    }
    for (let l = Math.min(level, this.topLayer); l >= 0; l--) {
      const found = this.searchLayer(q, entries, this.efConstruction, l).drainDescending();
      const chosen = this.selectNeighbours(found, this.m);
      this.setLinks(l, row, chosen);
      for (const n of chosen) this.addLink(l, n, row);
      entries = found.rows;
    }
    if (level > this.topLayer) {
      this.topLayer = level;
      this.entry = row;
    }
  }

  /** Adds `to` to `from`'s list; an overfull list is re-selected with the heuristic. */
  private addLink(layer: number, from: number, to: number): void {
    const count = this.linkCount[layer][from];
    const arr = this.links[layer][from]!;
    const max = this.maxLinks(layer);
    if (count < max) {
      arr[count] = to;
      this.linkCount[layer][from] = count + 1;
      return;
    }
    const fv = this.vectorAt(from);
    const pairs = [...arr.subarray(0, count), to].map((r) => ({ r, s: this.similarity(fv, r) })).sort((a, b) => b.s - a.s);
    const chosen = this.selectNeighbours({ scores: pairs.map((p) => p.s), rows: pairs.map((p) => p.r) }, max);
    this.setLinks(layer, from, chosen);
  }

  search(query: Float32Array, k: number, exclude?: ReadonlySet<number>, ef = this.efSearch): Neighbours {
    assertK(k);
    if (query.length !== this.dim) throw new RangeError(`query must have ${this.dim} values, got ${query.length}`);
    if (!this.built) throw new Error(`HNSW index is still building: ${this.insertedRows} of ${this.size} rows inserted`);
    if (this.size === 0) return { ids: new Int32Array(0), scores: new Float32Array(0) };
    const q = normaliseRows(query, this.dim);
    let entries = [this.entry];
    for (let l = this.topLayer; l > 0; l--) {
      entries = [this.searchLayer(q, entries, 1, l).drainDescending().rows[0]];
    }
    const want = k + (exclude?.size ?? 0);
    const found = this.searchLayer(q, entries, Math.max(ef, want), 0).drainDescending();
    const ids: number[] = [],
      scores: number[] = [];
    for (let i = 0; i < found.rows.length && ids.length < k; i++) {
      const id = this.ids[found.rows[i]];
      if (exclude?.has(id)) continue;
      ids.push(id);
      scores.push(found.scores[i]);
    }
    return { ids: Int32Array.from(ids), scores: Float32Array.from(scores) };
  }
}
