/**
 * Keeps the k largest (score, id) pairs seen, in a binary min-heap; `sorted()` returns them
 * best first. O(n log k) for n pushes.
 */
export class TopK {
  private readonly ids: Int32Array;
  private readonly scores: Float32Array;
  private size = 0;

  constructor(readonly k: number) {
    this.ids = new Int32Array(k);
    this.scores = new Float32Array(k);
  }

  /** Lowest score kept, or -Infinity while not full: callers can skip anything below it. */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.scores[0];
  }

  push(id: number, score: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.scores[parent] <= score) break;
        this.scores[i] = this.scores[parent];
        this.ids[i] = this.ids[parent];
        i = parent;
      }
      this.scores[i] = score;
      this.ids[i] = id;
    } else if (score > this.scores[0]) {
      this.siftDown(id, score);
    }
  }

  private siftDown(id: number, score: number): void {
    let i = 0;
    const n = this.size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.scores[r] < this.scores[l] ? r : l;
      if (this.scores[child] >= score) break;
      this.scores[i] = this.scores[child];
      this.ids[i] = this.ids[child];
      i = child;
    }
    this.scores[i] = score;
    this.ids[i] = id;
  }

  /** The kept pairs, best first (ties by lower id first). */
  sorted(): { ids: Int32Array; scores: Float32Array } {
    const order = Array.from({ length: this.size }, (_, i) => i).sort(
      (a, b) => this.scores[b] - this.scores[a] || this.ids[a] - this.ids[b],
    );
    return {
      ids: Int32Array.from(order, (i) => this.ids[i]),
      scores: Float32Array.from(order, (i) => this.scores[i]),
    };
  }
}
