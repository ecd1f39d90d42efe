/** Maps external ids (database ids, file ids) to dense 0-based indices and back, at the edge. */
export class IdIndex<K extends string | number = string> {
  private readonly toIndex = new Map<K, number>();
  readonly ids: K[] = [];

  constructor(ids: Iterable<K> = []) {
    for (const id of ids) this.add(id);
  }

  /** Index of id, adding it when new. */
  add(id: K): number {
    let i = this.toIndex.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.toIndex.set(id, i);
      this.ids.push(id);
    }
    return i;
  }

  /** Index of id, or -1 when unknown. */
  indexOf(id: K): number {
    return this.toIndex.get(id) ?? -1;
  }

  has(id: K): boolean {
    return this.toIndex.has(id);
  }

  idAt(index: number): K {
    if (index < 0 || index >= this.ids.length) {
      throw new RangeError(`index must be 0..${this.ids.length - 1}, got ${index}`);
    }
    return this.ids[index];
  }

  get size(): number {
    return this.ids.length;
  }
}
