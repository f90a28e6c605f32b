/**
 * A cache of `make(a, b)` per pair of keys, for values resolve asks for many times with the same
 * keys (a cell's namespace per consumer, a provider's address per consumer and environment).
 * Cached values are shared: the plan is read-only after resolve. @internal
 */
export class PairCache<A, B, V> {
  private readonly byFirst = new Map<A, Map<B, V>>();
  constructor(private readonly make: (a: A, b: B) => V) {}

  public get(a: A, b: B): V {
    let bySecond = this.byFirst.get(a);
    if (!bySecond) {
      bySecond = new Map();
      this.byFirst.set(a, bySecond);
    }
    if (bySecond.has(b)) return bySecond.get(b)!;
    const v = this.make(a, b);
    bySecond.set(b, v);
    return v;
  }
}
