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
    // one lookup on a hit; `has` only tells a cached undefined from a miss
    const cached = bySecond.get(b);
    if (cached !== undefined || bySecond.has(b)) return cached!;
    const v = this.make(a, b);
    bySecond.set(b, v);
    return v;
  }
}

/** The empty list the plan shares wherever a list is empty (frozen: the plan is read-only). */
const EMPTY: readonly never[] = Object.freeze([]);

/** A shared, frozen empty list: thousands of components have no files, sidecars or routes. @internal */
export function none<T>(): T[] {
  return EMPTY as unknown as T[];
}

/** `list`, or the shared empty list when it is empty. @internal */
export function orNone<T>(list: T[]): T[] {
  return list.length === 0 ? none() : list;
}

/**
 * Values many components resolve to alike (resource requirements, rollout, tracing settings),
 * one object per distinct value and resolve: the plan is read-only, so they share it. @internal
 */
export class SharedValues {
  private readonly values = new Map<string, unknown>();

  /** The value for `key`, made by `make` the first time. */
  public get<T>(key: string, make: () => T): T {
    let v = this.values.get(key) as T | undefined;
    if (v === undefined) {
      v = make();
      this.values.set(key, v);
    }
    return v;
  }
}
