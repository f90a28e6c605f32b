import { compileSelector, selects } from '../src/report/label-selector';

const source = { evaluator: 'connectivity', where: 'NetworkPolicy ns/p', path: 'spec.podSelector' };

describe('the one label-selector matcher', () => {
  test('matchLabels and every operator', () => {
    const match = compileSelector({
      matchLabels: { app: 'api' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['web', 'api'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'team', operator: 'Exists' },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
      ],
    }, source);
    expect(match({ app: 'api', tier: 'web', team: 'a' })).toBe(true);
    expect(match({ app: 'api', tier: 'web', team: 'a', env: 'dev' })).toBe(true);
    expect(match({ app: 'api', tier: 'web', team: 'a', env: 'prod' })).toBe(false);
    expect(match({ app: 'api', tier: 'db', team: 'a' })).toBe(false);
    expect(match({ app: 'api', tier: 'web', team: 'a', canary: 'x' })).toBe(false);
    expect(match({ app: 'api', tier: 'web' })).toBe(false);
    expect(match({ app: 'web', tier: 'web', team: 'a' })).toBe(false);
  });

  test('an empty selector matches everything; no selector too', () => {
    expect(compileSelector({}, source)({ any: 'thing' })).toBe(true);
    expect(selects(undefined, {})).toBe(true);
    expect(selects({ matchLabels: { a: 'b' } }, {})).toBe(false);
  });

  test('keys can be mapped (Cilium prefixes)', () => {
    expect(compileSelector({ matchLabels: { 'k8s:app': 'api' } }, source, k => k.replace(/^k8s:/, ''))({ app: 'api' })).toBe(true);
  });

  test('what it cannot judge is refused, naming the evaluator, object and field', () => {
    expect(() => compileSelector({ matchFields: {} }, source)).toThrow('connectivity: NetworkPolicy ns/p: spec.podSelector.matchFields is not supported by the connectivity evaluator');
    expect(() => compileSelector({ matchExpressions: [{ key: 'a', operator: 'In' }] }, source))
      .toThrow('connectivity: NetworkPolicy ns/p: spec.podSelector.matchExpressions[0] (In) needs values');
    expect(() => compileSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, source))
      .toThrow('spec.podSelector.matchExpressions[0].operator Gt is invalid');
    expect(() => compileSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['1'] }] }, source)).toThrow('must not have values');
  });
});
