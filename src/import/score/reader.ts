import { fail } from '../../model/errors';

/** A JSON path segment: `.key` for plain keys, `['key']` otherwise. @internal */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${path}.${key}` : `${path}['${key.replace(/'/g, "\\'")}']`;
}

/** Reads one Score file, failing with the file, the JSON path and the fix. @internal */
export class ScoreReader {
  constructor(public readonly file: string) {}

  /** Throws a validation error naming the file, the JSON path and the fix. */
  public fail(path: string, message: string, fix: string): never {
    return fail(this.file, `${path}: ${message}`, fix);
  }

  /** An object (a YAML mapping), or a failure. */
  public object(path: string, value: unknown, what = 'a mapping'): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, `is ${describe(value)}, not ${what}`, `write ${path} as ${what} (key: value lines)`);
    }
    return value as Record<string, unknown>;
  }

  /** Refuses keys outside `known`; `unsupported` names keys Score has that this importer cannot map, with their fixes. */
  public keys(path: string, value: Record<string, unknown>, known: readonly string[], unsupported: Record<string, string> = {}): void {
    for (const key of Object.keys(value)) {
      if (key in unsupported) this.fail(at(path, key), 'is not supported by the importer', unsupported[key]);
      if (!known.includes(key)) {
        this.fail(at(path, key), `is not a field of Score v1b1 here (known: ${known.join(', ')})`, `remove '${key}' or correct its spelling`);
      }
    }
  }

  public string(path: string, value: unknown, pattern?: RegExp, patternText?: string): string {
    if (typeof value !== 'string') this.fail(path, `is ${describe(value)}, not a string`, 'quote the value as a string');
    if (pattern && !pattern.test(value)) this.fail(path, `'${value}' is not ${patternText}`, `write ${patternText}`);
    return value;
  }

  public optionalString(path: string, value: unknown, pattern?: RegExp, patternText?: string): string | undefined {
    return value === undefined ? undefined : this.string(path, value, pattern, patternText);
  }

  public strings(path: string, value: unknown): string[] | undefined {
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) this.fail(path, `is ${describe(value)}, not a list of strings`, `write ${path} as a list, e.g. ["/bin/app", "--serve"]`);
    return value.map((v, i) => this.string(at(path, i), v));
  }

  public port(path: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
      this.fail(path, `${JSON.stringify(value)} is not a port`, 'use an integer between 1 and 65535');
    }
    return value;
  }
}

/** Describes a value's type for a message. @internal */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Score's RFC 1123 label (workload, container, port and resource names). @internal */
export const SCORE_NAME = /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;
/** Score's CPU quantity. @internal */
export const SCORE_CPU = /^\d+(?:m|\.\d+)?$/;
/** Score's memory quantity. @internal */
export const SCORE_MEMORY = /^(0\.\d+|[1-9]\d*(\.\d+)?)(K|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
