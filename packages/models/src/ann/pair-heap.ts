/**
 * Binary heap of (score, row) pairs over growable typed arrays. `max` pops the highest score
 * first; otherwise the lowest. HNSW keeps one of each per layer search.
 */
export class PairHeap {
  private scores = new Float64Array(64);
  private rows = new Int32Array(64);
  size = 0;

  constructor(private readonly max: boolean) {}

  private before(a: number, b: number): boolean {
    return this.max ? this.scores[a] > this.scores[b] : this.scores[a] < this.scores[b];
  }

  private swap(a: number, b: number): void {
    const s = this.scores[a];
    this.scores[a] = this.scores[b];
    this.scores[b] = s;
    const r = this.rows[a];
    this.rows[a] = this.rows[b];
    this.rows[b] = r;
  }

  push(score: number, row: number): void {
    if (this.size === this.scores.length) {
      const s = new Float64Array(this.size * 2);
      s.set(this.scores);
      this.scores = s;
      const r = new Int32Array(this.size * 2);
      r.set(this.rows);
      this.rows = r;
    }
    let i = this.size++;
    this.scores[i] = score;
    this.rows[i] = row;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  topScore(): number {
    return this.scores[0];
  }
  topRow(): number {
    return this.rows[0];
  }

  pop(): void {
    this.size--;
    if (this.size === 0) return;
    this.scores[0] = this.scores[this.size];
    this.rows[0] = this.rows[this.size];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1,
        r = l + 1;
      let best = i;
      if (l < this.size && this.before(l, best)) best = l;
      if (r < this.size && this.before(r, best)) best = r;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
  }

  /** Drains the heap into (score, row) pairs, best-similarity first. */
  drainDescending(): { scores: number[]; rows: number[] } {
    const scores: number[] = [],
      rows: number[] = [];
    while (this.size > 0) {
      scores.push(this.topScore());
      rows.push(this.topRow());
      this.pop();
    }
    if (!this.max) {
      scores.reverse();
      rows.reverse();
    }
    return { scores, rows };
  }
}
