/**
 * A bounded string-keyed cache that keeps what was used recently: two generations, the young one filled until it
 * holds `limit` entries, then aged (the old generation dropped, the young one becoming the old one); a hit in the
 * old generation moves back to the young one. Unlike a map cleared when full, it does not forget everything at
 * once when a big platform has more distinct keys than the limit (the YAML emitter's caches at 10,000
 * components), and it never holds more than 2 × `limit` entries.
 * @internal
 */
export class RecentCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  constructor(private readonly limit: number) {}

  public get(key: string): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined || this.old.size === 0) return v;
    const aged = this.old.get(key);
    if (aged !== undefined) this.set(key, aged);
    return aged;
  }

  /** Stores `value` under `key` and returns it (for `cache.get(key) ?? cache.remember(key, made)`). */
  public remember(key: string, value: V): V {
    this.set(key, value);
    return value;
  }

  public set(key: string, value: V): void {
    if (this.young.size >= this.limit) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }
}
