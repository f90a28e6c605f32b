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
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = copy(v);
    return out;
  }
  return value;
}
