/** What a back-end could not express as declared. @internal */
export enum WidenedKind {
  /** Host-name (FQDN) egress, rendered as "any address" on the rule's ports. */
  FQDN_EGRESS = 'fqdn-egress',
  /** HTTP (L7) rules, rendered as the whole port. */
  HTTP_RULES = 'http-rules',
}

/**
 * A rule the Kubernetes NetworkPolicy back-end renders wider than declared (accepted by the data
 * plane's `acceptWiderNetworkRules`), as data: renderers and reports select on its fields, and
 * `text` is its one human-readable form. @internal
 */
export interface WidenedRule {
  readonly kind: WidenedKind;
  /** Who the rule is for: `project/component`, a component, or `build <step> pods`. */
  readonly from: string;
  /** For a build pod's rule: its step (`checkout`, `build`). */
  readonly buildStep?: string;
  /** What it reaches: an external service and its host, a provider endpoint, host names. */
  readonly to: string;
  /** The ports the widened rule allows. */
  readonly ports: Array<{ readonly port: number; readonly protocol: string }>;
  /** The sentence in the connectivity report and in the policies' `security.openchoreo.dev/widened` annotation. */
  readonly text: string;
}

/** A host-name egress rule widened to any address on its ports. @internal */
export function widenedFqdnEgress(
  from: string, to: string, ports: Array<{ readonly port: number; readonly protocol: string }>, buildStep?: string,
): WidenedRule {
  const protocol = ports[0].protocol;
  const text = `${from} → ${to}: FQDN egress widened to any address on port${ports.length > 1 ? 's' : ''} ${ports.map(p => p.port).join(', ')}/${protocol}`;
  return { kind: WidenedKind.FQDN_EGRESS, from, ...(buildStep ? { buildStep } : {}), to, ports, text };
}

/** A dependency's HTTP rules widened to the whole port. @internal */
export function widenedHttpRules(from: string, to: string, port: { port: number; protocol: string }): WidenedRule {
  return { kind: WidenedKind.HTTP_RULES, from, to, ports: [port], text: `${from} → ${to}: HTTP rules widened to the whole port (NetworkPolicy has no L7 rules)` };
}

/** Widened rules without repeats, sorted by their text. @internal */
export function uniqueWidened(rules: WidenedRule[]): WidenedRule[] {
  const byText = new Map(rules.map(r => [r.text, r]));
  return [...byText.keys()].sort().map(t => byText.get(t)!);
}
