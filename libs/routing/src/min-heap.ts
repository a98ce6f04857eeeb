/**
 * Binary min-heap of (key: float64, value: uint32) pairs stored in parallel typed arrays, for
 * Dijkstra with lazy deletion (duplicates are pushed; stale entries are skipped by the caller).
 * No per-entry object allocation; capacity doubles when full.
 */
export class MinHeap {
  private keys: Float64Array;
  private vals: Uint32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity | 0);
    this.keys = new Float64Array(cap);
    this.vals = new Uint32Array(cap);
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
  }

  push(key: number, value: number): void {
    if (this.count === this.keys.length) this.grow();
    const keys = this.keys;
    const vals = this.vals;
    let i = this.count++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p];
      if (pk <= key) break;
      keys[i] = pk;
      vals[i] = vals[p];
      i = p;
    }
    keys[i] = key;
    vals[i] = value;
  }

  /** Smallest key; only valid when `size > 0`. */
  peekKey(): number {
    return this.keys[0];
  }

  /** Removes the minimum entry and returns its value; only valid when `size > 0`. */
  pop(): number {
    const keys = this.keys;
    const vals = this.vals;
    const top = vals[0];
    const n = --this.count;
    if (n > 0) {
      const key = keys[n];
      const val = vals[n];
      let i = 0;
      const half = n >> 1;
      while (i < half) {
        let c = 2 * i + 1;
        const r = c + 1;
        if (r < n && keys[r] < keys[c]) c = r;
        if (keys[c] >= key) break;
        keys[i] = keys[c];
        vals[i] = vals[c];
        i = c;
      }
      keys[i] = key;
      vals[i] = val;
    }
    return top;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    const vals = new Uint32Array(this.vals.length * 2);
    keys.set(this.keys);
    vals.set(this.vals);
    this.keys = keys;
    this.vals = vals;
  }
}
