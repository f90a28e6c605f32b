/*
 * Terraform reads every string of a JSON configuration as a template: `${...}` interpolates and
 * `%{...}` is a directive. Kubernetes objects carry such text literally (Grafana's `${datasource}`,
 * shell `${VAR}` in build scripts), so each string, keys included, is escaped: `${` → `$${`,
 * `%{` → `%%{` — which Terraform reads back as the literal text.
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences-1
 */

const TEMPLATE_START = /([$%])\{/g;
const ESCAPED_START = /([$%])\1\{/g;

/** `${` → `$${` and `%{` → `%%{` in one string (a replacer function: in a replacement string `$$` means `$`). */
export function escapeTemplateString(s: string): string {
  return s.includes('{') ? s.replace(TEMPLATE_START, (_m, c: string) => `${c}${c}{`) : s;
}

/** The inverse of {@link escapeTemplateString}: what Terraform reads from an escaped string. */
export function unescapeTemplateString(s: string): string {
  return s.includes('{') ? s.replace(ESCAPED_START, (_m, c: string) => `${c}{`) : s;
}

/**
 * A JSON value with every string and key escaped for Terraform. Values without anything to escape
 * are returned as they are (no copy); changed objects are copied with their key order kept.
 */
export function escapeTemplates(value: unknown): unknown {
  return mapStrings(value, escapeTemplateString);
}

/** The inverse of {@link escapeTemplates}: the value Terraform reads from an escaped configuration. */
export function unescapeTemplates(value: unknown): unknown {
  return mapStrings(value, unescapeTemplateString);
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = mapStrings(value[i], f);
      if (v !== value[i] && !out) out = value.slice(0, i);
      if (out) out.push(v);
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    let changed = false;
    const mapped = entries.map(([k, v]): [string, unknown] => {
      const mk = f(k);
      const mv = mapStrings(v, f);
      if (mk !== k || mv !== v) changed = true;
      return [mk, mv];
    });
    return changed ? Object.fromEntries(mapped) : value;
  }
  return value;
}
