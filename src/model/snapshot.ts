/**
 * A deep copy of plain data (objects with the plain prototype, arrays), keeping every other
 * value (constructs, SecretRef, Duration and other class instances) by reference. Props are
 * snapshotted at construction so that mutating the caller's object afterwards can neither change
 * the output nor bypass a check. @internal
 */
export function snapshotProps<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    // Object.keys walks the same own enumerable string keys in the same order as Object.entries
    // without a [key, value] pair per property (props are copied for every construct).
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(source)) out[k] = copy(source[k]);
    return out;
  }
  return value;
}
