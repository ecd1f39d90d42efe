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
    // Heap sort of a copy: the minimum goes to the end each time (no comparator calls, which
    // cost more than the fused scoring itself for k = 100 per listener).
    const n = this.size;
    const heapIds = this.ids.slice(0, n),
      heapScores = this.scores.slice(0, n);
    const ids = new Int32Array(n),
      scores = new Float32Array(n);
    for (let end = n - 1; end >= 0; end--) {
      ids[end] = heapIds[0];
      scores[end] = heapScores[0];
      const id = heapIds[end],
        score = heapScores[end];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= end) break;
        const r = l + 1;
        const child = r < end && heapScores[r] < heapScores[l] ? r : l;
        if (heapScores[child] >= score) break;
        heapScores[i] = heapScores[child];
        heapIds[i] = heapIds[child];
        i = child;
      }
      heapScores[i] = score;
      heapIds[i] = id;
    }
    // Equal scores: lower id first.
    for (let i = 0; i < n;) {
      let j = i + 1;
      while (j < n && scores[j] === scores[i]) j++;
      if (j - i > 1) ids.subarray(i, j).sort();
      i = j;
    }
    return { ids, scores };
  }
}
