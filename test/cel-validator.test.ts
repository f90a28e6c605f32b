import * as fs from 'fs';
import * as path from 'path';
import { celFieldName } from './support/cel-types';
import { compileCelValidator } from './support/cel-validator';
import { UNEVALUATED_RULES, validateManifest } from './support/schema-validator';

const SCHEMA_DIR = path.join(__dirname, 'schemas');
const index = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'index.json'), 'utf8')) as Record<string, { file: string; definition?: string }>;
const allCrdKinds = Object.entries(index).filter(([, e]) => !e.definition).map(([key, e]) => [key, e.file] as const);
/** CRD kinds of the GitOps tree (the OpenChoreo export's kinds have their own inventory below). */
const crdKinds = allCrdKinds.filter(([key]) => !key.startsWith('openchoreo.dev/'));

function schemaOf(file: string): any {
  return JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
}

/** validateManifest's errors without the ` (rule: ...)` suffix of CEL failures. */
function failures(obj: any): string[] {
  return validateManifest(obj).map((e) => e.replace(/ \(rule: .*\)$/, ''));
}

const meta = { name: 'api', namespace: 'shop-dev' };

describe('rule inventory', () => {
  test('every rule of every CRD schema compiles, type-checks and plans', () => {
    let rules = 0;
    let transitionRules = 0;
    const expressions = new Set<string>();
    const unsupported: string[] = [];
    const perKind: Record<string, number> = {};
    for (const [key, file] of crdKinds) {
      const { stats } = compileCelValidator(schemaOf(file), { collectUnsupported: true });
      rules += stats.rules;
      transitionRules += stats.transitionRules;
      stats.expressions.forEach((x) => expressions.add(x));
      unsupported.push(...stats.unsupported.map((u) => `${key}: ${u}`));
      perKind[key] = stats.rules;
    }
    expect(unsupported).toEqual([]);
    expect(crdKinds).toHaveLength(22);
    // CloudNativePG adds 15 rules, 4 of them transition rules (immutable fields, `oldSelf`)
    expect({ rules, distinct: expressions.size, transitionRules }).toEqual({ rules: 658, distinct: 226, transitionRules: 5 });
    expect(perKind).toEqual({
      'argoproj.io/v1alpha1/AppProject': 0,
      'argoproj.io/v1alpha1/Application': 0,
      'argoproj.io/v1alpha1/WorkflowTemplate': 38,
      'cilium.io/v2/CiliumNetworkPolicy': 0,
      'external-secrets.io/v1/ExternalSecret': 0,
      'gateway.envoyproxy.io/v1alpha1/BackendTrafficPolicy': 76,
      'gateway.envoyproxy.io/v1alpha1/ClientTrafficPolicy': 16,
      'gateway.envoyproxy.io/v1alpha1/EnvoyProxy': 196,
      'gateway.envoyproxy.io/v1alpha1/SecurityPolicy': 175,
      'gateway.networking.k8s.io/v1/GRPCRoute': 33,
      'gateway.networking.k8s.io/v1/Gateway': 16,
      'gateway.networking.k8s.io/v1/GatewayClass': 1, // `self == oldSelf`: a transition rule
      'gateway.networking.k8s.io/v1/HTTPRoute': 89,
      'kustomize.toolkit.fluxcd.io/v1/Kustomization': 2,
      'monitoring.coreos.com/v1/PodMonitor': 0,
      'monitoring.coreos.com/v1/PrometheusRule': 0,
      'monitoring.coreos.com/v1/ServiceMonitor': 0,
      'opentelemetry.io/v1alpha1/Instrumentation': 0,
      'postgresql.cnpg.io/v1/Cluster': 9,
      'postgresql.cnpg.io/v1/Pooler': 5,
      'postgresql.cnpg.io/v1/ScheduledBackup': 1,
      'source.toolkit.fluxcd.io/v1/GitRepository': 1,
    });
  });

  test("the OpenChoreo export's kinds: every rule compiles except `has(self.var)` (a CEL reserved word), which the validator checks directly", () => {
    const kinds = allCrdKinds.filter(([key]) => key.startsWith('openchoreo.dev/'));
    let rules = 0;
    let transitionRules = 0;
    const unsupported: string[] = [];
    for (const [, file] of kinds) {
      const { stats } = compileCelValidator(schemaOf(file), { collectUnsupported: true });
      rules += stats.rules;
      transitionRules += stats.transitionRules;
      unsupported.push(...stats.unsupported);
    }
    expect(kinds).toHaveLength(19);
    expect(unsupported.filter(u => !u.includes(`: ${UNEVALUATED_RULES[0]}: undefined field 'var'`))).toEqual([]);
    expect({ rules, transitionRules, unsupported: unsupported.length }).toEqual({ rules: 56, transitionRules: 19, unsupported: 15 });
  });
});

/** A one-property schema: spec.value of the given schema with `rules` on it. */
function tiny(value: any, ...rules: any[]): any {
  return {
    type: 'object',
    properties: { spec: { type: 'object', properties: { value: { ...value, 'x-kubernetes-validations': rules } } } },
  };
}

describe('compilation', () => {
  const object = { type: 'object', properties: { port: { type: 'integer' }, url: { type: 'string' } } };
  test.each([
    ['a Kubernetes library function we do not provide', 'isURL(self.url)', /undeclared function 'isURL'/],
    ['an optional field access', 'self.?port == 1', /syntax error/],
    ['an unknown field', 'self.nope == 1', /undefined field 'nope'/],
    ['a wrong overload', 'self.port.size() > 1', /no matching overload for 'size' applied to 'int\.\(\)'/],
    ['a syntax error', 'self.port >', /syntax error/],
    ['a non-bool result', 'self.port + 1', /the rule must be bool, not int/],
  ])('a rule with %s throws', (_what, rule, reason) => {
    expect(() => compileCelValidator(tiny(object, { rule }))).toThrow(reason);
  });

  test('rules where values are invisible (under anyOf) throw', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', anyOf: [{ 'x-kubernetes-validations': [{ rule: 'true' }] }] } } };
    expect(() => compileCelValidator(schema)).toThrow(/where rules cannot see values/);
  });

  test('transition rules are counted and skipped', () => {
    const v = compileCelValidator(tiny({ type: 'string' }, { rule: 'self == oldSelf', message: 'immutable' }));
    expect(v.stats).toMatchObject({ rules: 1, transitionRules: 1 });
    expect(v.validate({ spec: { value: 'x' } })).toEqual([]);
  });

  test('property names are escaped like the API server does', () => {
    expect(['namespace', 'x-y', 'a.b', 'a/b', 'a__b', 'plain', '1st'].map(celFieldName))
      .toEqual(['__namespace__', 'x__dash__y', 'a__dot__b', 'a__slash__b', 'a__underscores__b', 'plain', undefined]);
  });
});

describe('evaluation semantics', () => {
  test('integer is int, number is double, int-or-string is what was given', () => {
    const ints = compileCelValidator(tiny({ type: 'integer' }, { rule: 'self / 2 == 1 && self % 2 == 1', message: 'int division' }));
    expect(ints.validate({ spec: { value: 3 } })).toEqual([]);
    const doubles = compileCelValidator(tiny({ type: 'number' }, { rule: 'self / 2.0 == 1.5', message: 'double division' }));
    expect(doubles.validate({ spec: { value: 3 } })).toEqual([]);
    const either = compileCelValidator(tiny({ 'x-kubernetes-int-or-string': true }, { rule: 'self == 80', message: 'must be the int 80' }));
    expect(either.validate({ spec: { value: 80 } })).toEqual([]);
    expect(either.validate({ spec: { value: '80' } })).toEqual(['spec.value: must be the int 80 (rule: self == 80)']);
  });

  test('an absent field is false for has() and an evaluation error when read', () => {
    const schema = tiny({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } },
      { rule: '!has(self.a) || self.a == self.b', message: 'a must equal b' });
    const v = compileCelValidator(schema);
    expect(v.validate({ spec: { value: {} } })).toEqual([]);
    expect(v.validate({ spec: { value: { a: 'x', b: 'x' } } })).toEqual([]);
    expect(v.validate({ spec: { value: { a: 'x', b: 'y' } } })).toEqual(['spec.value: a must equal b (rule: !has(self.a) || self.a == self.b)']);
    expect(v.validate({ spec: { value: { a: 'x' } } })).toEqual([
      'spec.value: a must equal b (rule: !has(self.a) || self.a == self.b; evaluation error: field not found: b)',
    ]);
    const bare = compileCelValidator(tiny({ type: 'object', properties: { a: { type: 'string' } } }, { rule: 'self.a == "x"' }));
    expect(bare.validate({ spec: { value: { a: 'y' } } })).toEqual(['spec.value: failed rule: self.a == "x"']);
    expect(bare.validate({ spec: { value: {} } })).toEqual(['spec.value: failed rule: self.a == "x" (evaluation error: field not found: a)']);
  });

  test('strings extension functions behave as in Go', () => {
    const rules = [
      "'a/b/c'.split('/') == ['a', 'b', 'c']",
      "'a/b/c'.split('/', 2) == ['a', 'b/c']",
      "'a/b'.split('/', 0) == []",
      "'héllo'.split('', 3) == ['h', 'é', 'llo']",
      "'ÄbC'.lowerAscii() == 'Äbc' && 'äBc'.upperAscii() == 'äBC'",
      "'Shop.Orders'.matches('^(?i)shop\\.')",
    ];
    const v = compileCelValidator(tiny({ type: 'string' }, ...rules.map((rule) => ({ rule }))));
    expect(v.validate({ spec: { value: '' } })).toEqual([]);
  });

  test('messageExpression and fieldPath', () => {
    const schema = tiny({ type: 'object', properties: { 'max-items': { type: 'integer' }, 'items': { type: 'array', items: { type: 'string' } } } }, {
      rule: 'self.items.size() <= self.max__dash__items',
      messageExpression: '"at most " + string(self.max__dash__items) + " items"',
      fieldPath: '.items',
    });
    expect(compileCelValidator(schema).validate({ spec: { value: { 'max-items': 1, 'items': ['a', 'b'] } } }))
      .toEqual(['spec.value.items: at most 1 items (rule: self.items.size() <= self.max__dash__items)']);
  });

  test('rules run on every list item and map value, with defaults inside them', () => {
    const item = { 'type': 'object', 'properties': { kind: { type: 'string', default: 'A' } }, 'x-kubernetes-validations': [{ rule: "self.kind == 'A'", message: 'kind must be A' }] };
    const schema = { type: 'object', properties: { list: { type: 'array', items: item }, map: { type: 'object', additionalProperties: item } } };
    expect(compileCelValidator(schema).validate({ list: [{}, { kind: 'B' }], map: { 'x/y': { kind: 'B' }, 'z': {} } })).toEqual([
      "list[1]: kind must be A (rule: self.kind == 'A')",
      "map[\"x/y\"]: kind must be A (rule: self.kind == 'A')",
    ]);
  });

  test('the manifest is not modified by defaulting', () => {
    const route = httpRoute({ rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] });
    const copy = JSON.parse(JSON.stringify(route));
    expect(validateManifest(route)).toEqual([]);
    expect(route).toEqual(copy);
  });
});

// ---------------------------------------------------------------------------------------------
// real rules of the CRDs we emit or are about to emit

function httpRoute(spec: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: meta,
    spec: {
      parentRefs: [{ name: 'public', namespace: 'gateway' }],
      hostnames: ['api.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'api', port: 80 }] }],
      ...spec,
    },
  };
}

describe('HTTPRoute', () => {
  test('a valid route passes', () => {
    expect(validateManifest(httpRoute())).toEqual([]);
  });

  test('a Service backendRef needs a port (reported with the rule)', () => {
    expect(validateManifest(httpRoute({ rules: [{ backendRefs: [{ name: 'api', kind: 'Service', group: '' }] }] }))).toEqual([
      "spec.rules[0].backendRefs[0]: Must have port for Service reference (rule: (size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true)",
    ]);
    expect(failures(httpRoute({ rules: [{ backendRefs: [{ name: 'b', kind: 'Backend', group: 'gateway.envoyproxy.io' }] }] }))).toEqual([]);
  });

  test('defaults are applied before the rules run', () => {
    // group defaults to "" and kind to Service: without defaults, reading self.group would be an error.
    expect(failures(httpRoute({ rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] }))).toEqual([]);
    expect(failures(httpRoute({ rules: [{ backendRefs: [{ name: 'api' }] }] }))).toEqual([
      'spec.rules[0].backendRefs[0]: Must have port for Service reference',
    ]);
    // matches defaults to one PathPrefix "/" match, which ReplacePrefixMatch requires.
    const rewrite = { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } };
    expect(failures(httpRoute({ rules: [{ filters: [rewrite], backendRefs: [{ name: 'api', port: 80 }] }] }))).toEqual([]);
    expect(failures(httpRoute({ rules: [{ matches: [{ path: { type: 'Exact', value: '/v1' } }], filters: [rewrite], backendRefs: [{ name: 'api', port: 80 }] }] })))
      .toEqual(['spec.rules[0]: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified']);
  });

  test('path match values must be absolute and clean', () => {
    const route = (value: string) => httpRoute({ rules: [{ matches: [{ path: { type: 'PathPrefix', value } }], backendRefs: [{ name: 'api', port: 80 }] }] });
    expect(failures(route('api'))).toEqual([
      "spec.rules[0].matches[0].path: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
    ]);
    expect(failures(route('/a//b'))).toEqual(["spec.rules[0].matches[0].path: must not contain '//' when type one of ['Exact', 'PathPrefix']"]);
  });

  test('two parentRefs to the same Gateway need sectionNames (namespace is escaped as __namespace__)', () => {
    expect(failures(httpRoute({ parentRefs: [{ name: 'public', namespace: 'gateway' }, { name: 'public', namespace: 'other' }] }))).toEqual([]);
    expect(failures(httpRoute({ parentRefs: [{ name: 'public', namespace: 'gateway' }, { name: 'public', namespace: 'gateway', sectionName: 'https' }] })))
      .toEqual(['spec.parentRefs: sectionName must be specified when parentRefs includes 2 or more references to the same parent']);
  });

  test('a backend timeout cannot exceed the request timeout (durations)', () => {
    const route = (timeouts: object) => httpRoute({ rules: [{ timeouts, backendRefs: [{ name: 'api', port: 80 }] }] });
    expect(failures(route({ request: '10s', backendRequest: '1500ms' }))).toEqual([]);
    expect(failures(route({ request: '1m', backendRequest: '1h' }))).toEqual([
      'spec.rules[0].timeouts: backendRequest timeout cannot be longer than request timeout',
    ]);
  });

  test('schema errors and CEL failures are reported together', () => {
    expect(failures(httpRoute({ rules: [{ backendRefs: [{ name: 'api', colour: 'blue' }] }] }))).toEqual([
      'spec.rules[0].backendRefs[0]: unknown field "colour"',
      'spec.rules[0].backendRefs[0]: Must have port for Service reference',
    ]);
  });
});

describe('GRPCRoute', () => {
  const route = (method: object) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GRPCRoute',
    metadata: meta,
    spec: { parentRefs: [{ name: 'public', namespace: 'gateway' }], rules: [{ matches: [{ method }], backendRefs: [{ name: 'api', port: 9090 }] }] },
  });

  test('service names are checked with an RE2 pattern using (?i)', () => {
    expect(failures(route({ service: 'Shop.Orders', method: 'Get' }))).toEqual([]);
    expect(failures(route({ service: 'shop-orders' }))).toEqual([
      'spec.rules[0].matches[0].method: service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)',
    ]);
  });

  test('the defaulted match type makes an empty method match fail', () => {
    // type defaults to Exact, so `has(self.type)` holds and service or method is required.
    expect(failures(route({}))).toEqual(["spec.rules[0].matches[0].method: One or both of 'service' or 'method' must be specified"]);
  });
});

describe('Gateway', () => {
  const gateway = (listeners: object[]) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'public', namespace: 'gateway' },
    spec: { gatewayClassName: 'eg', listeners },
  });
  const https = { name: 'https', port: 443, protocol: 'HTTPS', hostname: '*.example.com', tls: { certificateRefs: [{ name: 'wildcard' }] } };

  test('a valid gateway passes', () => {
    expect(failures(gateway([{ name: 'http', port: 80, protocol: 'HTTP' }, https]))).toEqual([]);
  });

  test('listener names and port/protocol/hostname combinations must be unique', () => {
    expect(failures(gateway([{ name: 'http', port: 80, protocol: 'HTTP' }, { name: 'http', port: 8080, protocol: 'HTTP' }]))).toEqual([
      'spec.listeners: Listener name must be unique within the Gateway',
    ]);
    expect(failures(gateway([{ name: 'a', port: 80, protocol: 'HTTP' }, { name: 'b', port: 80, protocol: 'HTTP' }]))).toEqual([
      'spec.listeners: Combination of port, protocol and hostname must be unique for each listener',
    ]);
  });

  test('TCP listeners take no hostname', () => {
    expect(failures(gateway([{ name: 'db', port: 5432, protocol: 'TCP', hostname: 'db.example.com' }]))).toEqual([
      "spec.listeners: hostname must not be specified for protocols ['TCP', 'UDP']",
    ]);
  });

  test('TLS mode defaults to Terminate, which needs certificates', () => {
    expect(failures(gateway([{ ...https, tls: { mode: 'Passthrough' }, protocol: 'TLS' }]))).toEqual([]);
    // As on a real API server, reading the absent field is an error that rejects the object.
    expect(validateManifest(gateway([{ ...https, tls: {} }]))).toEqual([
      'spec.listeners[0].tls: certificateRefs or options must be specified when mode is Terminate '
      + "(rule: self.mode == 'Terminate' ? size(self.certificateRefs) > 0 || size(self.options) > 0 : true; "
      + 'evaluation error: field not found: certificateRefs)',
    ]);
  });

  test('infrastructure label keys are checked (map keys)', () => {
    const gw: any = gateway([https]);
    gw.spec.infrastructure = { labels: { 'example.com/team': 'shop', 'bad key': 'x' } };
    expect(failures(gw)).toEqual([
      'spec.infrastructure.labels: Label keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.',
    ]);
  });
});

function policy(kind: string, spec: Record<string, unknown>): any {
  return { apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind, metadata: meta, spec };
}
const routeRef = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'api' };
const gatewayRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' };

describe('Envoy Gateway policies', () => {
  test('SecurityPolicy: targetRef and targetRefs are mutually exclusive', () => {
    expect(failures(policy('SecurityPolicy', { targetRefs: [routeRef] }))).toEqual([]);
    expect(failures(policy('SecurityPolicy', { targetRef: routeRef, targetRefs: [routeRef] }))).toEqual([
      'spec: either targetRef or targetRefs must be used',
    ]);
    expect(failures(policy('SecurityPolicy', {}))).toEqual(['spec: either targetRef or targetRefs must be used']);
  });

  test('SecurityPolicy: authorization rules on JWT claims need a jwt provider', () => {
    const authorization = { rules: [{ action: 'Allow', principal: { jwt: { provider: 'idp', claims: [{ name: 'team', values: ['shop'] }] } } }] };
    expect(failures(policy('SecurityPolicy', { targetRefs: [routeRef], authorization }))).toEqual([
      'spec: if authorization.rules.principal.jwt is used, jwt must be defined',
    ]);
  });

  test('BackendTrafficPolicy: target kinds and load balancer settings', () => {
    expect(failures(policy('BackendTrafficPolicy', { targetRefs: [routeRef], loadBalancer: { type: 'RoundRobin' } }))).toEqual([]);
    expect(failures(policy('BackendTrafficPolicy', { targetRefs: [{ ...routeRef, kind: 'Service' }] }))).toEqual([
      'spec: this policy can only have a targetRefs[*].kind of Gateway/ListenerSet/HTTPRoute/GRPCRoute/TCPRoute/UDPRoute/TLSRoute',
    ]);
    expect(failures(policy('BackendTrafficPolicy', { targetRefs: [routeRef], loadBalancer: { type: 'ConsistentHash' } }))).toEqual([
      'spec.loadBalancer: If LoadBalancer type is consistentHash, consistentHash field needs to be set.',
    ]);
  });

  test('ClientTrafficPolicy: only Gateways, and TLS versions in order (map literal lookup)', () => {
    expect(failures(policy('ClientTrafficPolicy', { targetRefs: [gatewayRef], tls: { minVersion: '1.2', maxVersion: '1.3' } }))).toEqual([]);
    expect(failures(policy('ClientTrafficPolicy', { targetRefs: [routeRef] }))).toEqual([
      'spec: this policy can only have a targetRefs[*].kind of Gateway or ListenerSet',
    ]);
    expect(failures(policy('ClientTrafficPolicy', { targetRefs: [gatewayRef], tls: { minVersion: '1.3', maxVersion: '1.2' } }))).toEqual([
      'spec.tls: minVersion must be smaller or equal to maxVersion',
    ]);
  });
});

describe('Flux and Argo Workflows', () => {
  test('GitRepository: serviceAccountName needs the aws or azure provider', () => {
    const repo = (spec: object) => ({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'acme', namespace: 'flux-system' },
      spec: { interval: '1m', url: 'https://git.example.com/acme.git', ...spec },
    });
    expect(failures(repo({ provider: 'azure', serviceAccountName: 'flux' }))).toEqual([]);
    expect(failures(repo({ serviceAccountName: 'flux' }))).toEqual(["spec: serviceAccountName can only be set when provider is 'azure' or 'aws'"]);
  });

  test('Kustomization: kubeConfig takes exactly one of configMapRef and secretRef', () => {
    const ks = (kubeConfig: object) => ({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: { interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'acme' }, kubeConfig },
    });
    expect(failures(ks({ secretRef: { name: 'kubeconfig' } }))).toEqual([]);
    expect(failures(ks({}))).toEqual(['spec.kubeConfig: exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified']);
  });

  test('WorkflowTemplate: one template type per template, depends xor dependencies', () => {
    // Checked with its CEL rules only: ajv needs seconds to compile this 1.7 MB schema.
    const cel = compileCelValidator(schemaOf('argoproj.io_v1alpha1_WorkflowTemplate.json'));
    const celFailures = (obj: any) => cel.validate(obj).map((e) => e.replace(/ \(rule: .*\)$/, ''));
    const wt = (templates: object[]) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'WorkflowTemplate',
      metadata: meta,
      spec: { entrypoint: 'main', templates },
    });
    const container = { image: 'busybox:1.36' };
    expect(celFailures(wt([{ name: 'main', container }]))).toEqual([]);
    expect(celFailures(wt([{ name: 'main', container, script: { ...container, source: 'echo hi' } }]))).toEqual([
      'spec.templates: template must have at most one template type',
    ]);
    const dag = { tasks: [{ name: 'a', template: 'leaf' }, { name: 'b', template: 'leaf', depends: 'a', dependencies: ['a'] }] };
    expect(celFailures(wt([{ name: 'main', dag }, { name: 'leaf', container }]))).toEqual([
      "spec.templates[0].dag.tasks[1]: cannot use both 'depends' and 'dependencies'",
    ]);
  });
});
