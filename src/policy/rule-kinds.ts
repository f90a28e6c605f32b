import type { IPolicyRule } from '../model/policy';

/*
 * Most built-in rules read pod templates: on the other objects (nine in ten in the bench) their
 * check answers no finding by construction. Such a rule names the kinds it can find something in,
 * and the engine runs it only on objects of those kinds: it looks up the rules of each object's
 * kind (a table built once per kind and evaluation) instead of every rule calling check on every
 * object. Rules without kinds (custom rules, OC-API-SIZE-LIMITS) see every object.
 */
const ruleKinds = new WeakMap<IPolicyRule, ReadonlySet<string>>();

/** Declares that `rule` finds nothing in objects of other kinds than `kinds`. @internal */
export function onlyKinds(rule: IPolicyRule, kinds: ReadonlySet<string>): void {
  ruleKinds.set(rule, kinds);
}

/**
 * The items (one per rule, in the order of `rules`) whose rule runs on objects of a kind: all of
 * them but those of rules that declared other kinds ({@link onlyKinds}). Lists are built once per
 * kind. @internal
 */
export function rulesByKind<T extends { readonly rule: IPolicyRule }>(rules: readonly T[]): (kind: unknown) => readonly T[] {
  const byKind = new Map<unknown, T[]>();
  return kind => {
    let list = byKind.get(kind);
    if (list === undefined) {
      list = rules.filter(r => {
        const kinds = ruleKinds.get(r.rule);
        return kinds === undefined || kinds.has(kind as string);
      });
      byKind.set(kind, list);
    }
    return list;
  };
}
