import type { IPolicyRule, PolicySubject } from '../model/policy';

/*
 * Most built-in rules read pod templates: on the other objects (nine in ten in the bench) their
 * check answers no finding by construction. Such a rule names the kinds it can find something in,
 * and the engine hands it only objects of those kinds, in the same order, so it walks each object
 * list once per kind set instead of every rule calling check on every object. Rules without kinds
 * (custom rules, OC-API-SIZE-LIMITS) see every object.
 */
const ruleKinds = new WeakMap<IPolicyRule, ReadonlySet<string>>();

/** Declares that `rule` finds nothing in objects of other kinds than `kinds`. @internal */
export function onlyKinds(rule: IPolicyRule, kinds: ReadonlySet<string>): void {
  ruleKinds.set(rule, kinds);
}

/**
 * The subjects a rule is run on, in their order: all of them, or those of the kinds it declared
 * ({@link onlyKinds}). Lists are built once per kind set and evaluation. @internal
 */
export function subjectsByRule(subjects: readonly PolicySubject[]): (rule: IPolicyRule) => readonly PolicySubject[] {
  const byKinds = new Map<ReadonlySet<string>, PolicySubject[]>();
  return rule => {
    const kinds = ruleKinds.get(rule);
    if (kinds === undefined) return subjects;
    let list = byKinds.get(kinds);
    if (list === undefined) {
      list = subjects.filter(s => kinds.has(s.manifest.kind));
      byKinds.set(kinds, list);
    }
    return list;
  };
}
