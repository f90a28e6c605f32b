import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import {
  AccessCapability, CiliumLocalhost, ConcurrencyPolicy, CustomRole, DataPlane, DeploymentPipeline, Environment, ExternalProtocol, ExternalService,
  GitOpsDelivery, GitOpsTool, IsolationMode, NetworkPolicyProvider, OutputLayout, PlatformApp, ScheduledTask, Tracing,
} from '../src';
import { baseline, IMAGE, service } from './support/fixtures';
import { expectProblem } from './support/problems';
import { PlatformValidationError } from '../src/model/errors';
import { checkBoolean, checkEnum, checkNumber, checkRequired } from '../src/model/runtime-types';

/** A wrong-typed value, as JavaScript (or `as any`) could pass it. */
const bad = <T>(value: unknown): T => value as T;

/**
 * Table: every enum-, boolean- and number-typed prop checked by the shared runtime helper, fed a
 * value its type forbids. Each row: a name, how to declare it on the baseline, the construct path,
 * the value as the message shows it and the fix.
 */
type Declare = (b: ReturnType<typeof baseline>) => void;
const cases: Array<[string, Declare, string, string, RegExp]> = [
  ['a CronJob concurrency policy in the wrong case',
    b => new ScheduledTask(b.project, 'report', { image: IMAGE, schedule: '@daily', concurrencyPolicy: bad('forbid') }),
    'acme/shop/report', "concurrencyPolicy 'forbid' is not a value of ConcurrencyPolicy", /ConcurrencyPolicy\.FORBID \(values are case-sensitive\)/],
  ['an unknown CronJob concurrency policy',
    b => new ScheduledTask(b.project, 'report', { image: IMAGE, schedule: '@daily', concurrencyPolicy: bad('Sometimes') }),
    'acme/shop/report', "concurrencyPolicy 'Sometimes'", /ConcurrencyPolicy\.FORBID, ConcurrencyPolicy\.ALLOW, ConcurrencyPolicy\.REPLACE/],
  ['an external protocol in lowercase (was rendered as TCP)',
    b => new ExternalService(b.org, 'dns', { host: 'dns.example.com', port: 53, protocol: bad('udp') }),
    'acme/dns', "external service protocol 'udp' is not a value of ExternalProtocol", /ExternalProtocol\.UDP \(values are case-sensitive\)/],
  ['an unknown external protocol',
    b => new ExternalService(b.org, 'smtp', { host: 'smtp.example.com', port: 25, protocol: bad('SCTP') }),
    'acme/smtp', "protocol 'SCTP'", /ExternalProtocol\.TCP, ExternalProtocol\.UDP/],
  ['an unknown GitOps tool (delivered nothing)',
    b => new GitOpsDelivery(b.org, 'delivery', { repoUrl: 'https://git.example/ops.git', tools: bad(['argo']) }),
    'acme/delivery', "tools 'argo' is not a value of GitOpsTool", /GitOpsTool\.ARGO_CD, GitOpsTool\.FLUX/],
  ['a GitOps tool in the wrong case',
    b => new GitOpsDelivery(b.org, 'delivery', { repoUrl: 'https://git.example/ops.git', tools: bad(['Flux']) }),
    'acme/delivery', "tools 'Flux'", /GitOpsTool\.FLUX \(values are case-sensitive\)/],
  ['GitOps tools given as a string, not a list',
    b => new GitOpsDelivery(b.org, 'delivery', { repoUrl: 'https://git.example/ops.git', tools: bad('flux') }),
    'acme/delivery', "tools 'flux' is not a list", /list of GitOpsTool values/],
  ['an unknown network policy provider',
    b => new DataPlane(b.org, 'us', { networkPolicyProvider: bad('calico') }),
    'acme/us', "networkPolicyProvider 'calico'", /NetworkPolicyProvider\.CILIUM, NetworkPolicyProvider\.KUBERNETES/],
  ['acceptWiderNetworkRules as the string false',
    b => new DataPlane(b.org, 'us', { acceptWiderNetworkRules: bad('false') }),
    'acme/us', "acceptWiderNetworkRules 'false' is not a boolean", /true or false \(without quotes\)/],
  ['an unknown Cilium localhost mode',
    b => new DataPlane(b.org, 'us', { ciliumLocalhost: bad('never') }),
    'acme/us', "ciliumLocalhost 'never'", /CiliumLocalhost\.ALWAYS, CiliumLocalhost\.POLICY/],
  ['isProduction as the string true',
    b => new Environment(b.org, 'qa', { dataPlane: b.dataPlane, isProduction: bad('true') }),
    'acme/qa', "isProduction 'true' is not a boolean", /set isProduction to true or false/],
  ['isProduction as a number',
    b => new Environment(b.org, 'qa', { dataPlane: b.dataPlane, isProduction: bad(1) }),
    'acme/qa', 'isProduction 1 is not a boolean', /true or false/],
  ['kubernetesApiAccess as the string false',
    b => service(b.project, 'api', { kubernetesApiAccess: bad('false') }),
    'acme/shop/api', "kubernetesApiAccess 'false' is not a boolean", /true or false/],
  ['requiresApproval as the string yes',
    b => new DeploymentPipeline(b.org, 'fast', { promotionPaths: [{ source: b.dev, targets: [b.prod], requiresApproval: bad('yes') }] }),
    'acme/fast', "promotion path requiresApproval 'yes' is not a boolean", /true or false/],
  ['restrictedInProduction as the string false',
    b => new CustomRole(b.org, 'auditor', { capabilities: [AccessCapability.READ], restrictedInProduction: bad('false') }),
    'acme/auditor', "restrictedInProduction 'false' is not a boolean", /true or false/],
  ['suspend as the string true in an environment override',
    b => new ScheduledTask(b.project, 'report', { image: IMAGE, schedule: '@daily' }).configureEnvironment(b.prod, { suspend: bad('true') }),
    'acme/shop/report', "suspend 'true' is not a boolean", /true or false/],
  ['SLO alerts as the string false',
    b => service(b.project, 'api', { metrics: { port: 9090 }, slo: { availability: 99.9, alerts: bad('false') } }),
    'acme/shop/api', "alerts 'false' is not a boolean", /true or false/],
  ['an SLO availability given as a string (compared as text before)',
    b => service(b.project, 'api', { metrics: { port: 9090 }, slo: { availability: bad('99.9') } }),
    'acme/shop/api', "slo.availability '99.9' is not a finite number", /set slo\.availability to a number \(without quotes\)/],
  ['an SLO latency target of NaN',
    b => service(b.project, 'api', { metrics: { port: 9090 }, slo: { latencyTarget: NaN, latencyThreshold: Duration.millis(250) } }),
    'acme/shop/api', 'latencyTarget NaN is not a finite number', /to a number/],
  ['a tracing sampling ratio given as a string',
    b => service(b.project, 'api', { tracing: Tracing.sdk({ samplingRatio: bad('0.5') }) }),
    'acme/shop/api', "samplingRatio '0.5' is not a finite number", /to a number/],
  ['a backoff limit given as a string',
    b => new ScheduledTask(b.project, 'report', { image: IMAGE, schedule: '@daily', backoffLimit: bad('3') }),
    'acme/shop/report', 'backoffLimit 3 is invalid', /integer between 0 and 100/],
  ['default replicas of Infinity',
    b => new Environment(b.org, 'qa', { dataPlane: b.dataPlane, defaultReplicas: Infinity }),
    'acme/qa', 'defaultReplicas Infinity is invalid', /integer between 0 and 1000/],
];

describe('wrong-typed enum, boolean and number props are refused at construction', () => {
  test.each(cases)('%s', (_, declare, at, value, fix) => {
    expectProblem(app => declare(baseline(app)), { path: at, value, fix, at: 'construction' });
  });
});

describe('an unknown enum value on an organization', () => {
  test('isolation mode', () => {
    expectProblem(app => baseline(app, { isolation: bad('open') }),
      { path: 'acme', value: "isolation 'open' is not a value of IsolationMode", fix: /IsolationMode\.LEAST_PRIVILEGE, IsolationMode\.OPENCHOREO_COMPATIBLE/, at: 'construction' });
  });
});

describe('undefined where a construct is required is an error at the call', () => {
  test('dependOn(undefined)', () => {
    expectProblem(app => service(baseline(app).project, 'api').dependOn(bad(undefined)),
      { path: 'acme/shop/api', value: 'dependOn endpoint is undefined', fix: /pass an Endpoint/, at: 'construction' });
  });
  test('dependOnExternal(null)', () => {
    expectProblem(app => service(baseline(app).project, 'api').dependOnExternal(bad(null)),
      { path: 'acme/shop/api', value: 'dependOnExternal service is null', fix: /pass an ExternalService/, at: 'construction' });
  });
  test('dependOnName(undefined)', () => {
    expectProblem(app => service(baseline(app).project, 'api').dependOnName(bad(undefined)),
      { path: 'acme/shop/api', value: 'dependOnName reference is undefined', fix: /project, component, endpoint/, at: 'construction' });
  });
});

describe('the output layout', () => {
  test('an unknown layout is refused when the app is created', () => {
    let error: unknown;
    try {
      new PlatformApp({ layout: bad('single-file') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlatformValidationError);
    const problem = (error as PlatformValidationError).problems[0];
    expect(problem.path).toBe('PlatformApp');
    expect(problem.message).toContain("layout 'single-file' is not a value of OutputLayout");
    expect(problem.fix).toMatch(/OutputLayout\.FILE_PER_COMPONENT, OutputLayout\.FILE_PER_RESOURCE/);
  });
  test('a valid layout passes', () => {
    expect(new PlatformApp({ layout: OutputLayout.FILE_PER_RESOURCE, outdir: '/nonexistent-not-written' }).layout).toBe(OutputLayout.FILE_PER_RESOURCE);
  });
});

describe('the shared helpers', () => {
  const problemOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof PlatformValidationError) return e.problems[0];
      throw e;
    }
    throw new Error('expected a PlatformValidationError');
  };
  test.each([
    ['NaN', NaN, 'replicas NaN is not a finite number'],
    ['Infinity', Infinity, 'replicas Infinity is not a finite number'],
    ['a numeric string', '3', "replicas '3' is not a finite number"],
    ['a fraction', 1.5, 'replicas 1.5 is not an integer'],
    ['a negative count', -1, 'replicas -1 is out of range'],
    ['too large', 101, 'replicas 101 is out of range'],
  ])('checkNumber refuses %s', (_, value, message) => {
    const p = problemOf(() => checkNumber('acme/x', 'replicas', bad(value), { integer: true, min: 0, max: 100 }));
    expect(p.path).toBe('acme/x');
    expect(p.message).toBe(message);
    expect(p.fix).toBe('set replicas to an integer between 0 and 100 (without quotes)');
  });
  test('valid values and undefined pass through unchanged', () => {
    expect(checkNumber('x', 'n', 7, { integer: true, min: 0 })).toBe(7);
    expect(checkNumber('x', 'n', undefined)).toBeUndefined();
    expect(checkBoolean('x', 'b', false)).toBe(false);
    expect(checkBoolean('x', 'b', undefined)).toBeUndefined();
    expect(checkEnum('x', 'p', ConcurrencyPolicy.REPLACE, ConcurrencyPolicy, 'ConcurrencyPolicy')).toBe(ConcurrencyPolicy.REPLACE);
    expect(checkEnum('x', 'p', GitOpsTool.FLUX, GitOpsTool, 'GitOpsTool')).toBe(GitOpsTool.FLUX);
    expect(checkRequired('x', 'dep', 0, 'fix')).toBe(0);
  });
  test('every enum value of the checked enums is accepted', () => {
    for (const [e, name] of [[ConcurrencyPolicy, 'ConcurrencyPolicy'], [ExternalProtocol, 'ExternalProtocol'], [GitOpsTool, 'GitOpsTool'],
      [NetworkPolicyProvider, 'NetworkPolicyProvider'], [CiliumLocalhost, 'CiliumLocalhost'], [IsolationMode, 'IsolationMode'], [OutputLayout, 'OutputLayout']] as const) {
      for (const v of Object.values(e)) expect(checkEnum('x', 'p', v, e, name)).toBe(v);
    }
  });
  test('an object value is shown as JSON', () => {
    expect(problemOf(() => checkBoolean('x', 'flag', bad({ a: 1 }))).message).toBe('flag {"a":1} is not a boolean');
  });
});

describe('a new prop without a runtime check is caught', () => {
  // Every boolean or enum prop defaulted with `??` in the model or output layer goes through the
  // shared helper; the two listed here are validated in the same file with Object.values(...).
  const validatedInPlace: Record<string, string> = { 'endpoint.ts': 'EndpointType', 'placement.ts': 'TolerationOperator' };
  const dirs = ['src/model', 'src/output'].map(d => path.join(__dirname, '..', d));
  const files = dirs.flatMap(d => fs.readdirSync(d).filter(f => f.endsWith('.ts')).map(f => path.join(d, f)));
  test.each(files.map(f => [path.relative(path.join(__dirname, '..'), f), f]))('%s', (_, file) => {
    const text = fs.readFileSync(file, 'utf8');
    const unchecked = text.split('\n').filter(l =>
      (/\?\? (true|false)\b/.test(l) && !l.includes('checkBoolean(')) ||
      (/\?\? [A-Z][A-Za-z]+\.[A-Z_]+\b/.test(l) && !l.includes('checkEnum')));
    const allowed = validatedInPlace[path.basename(file)];
    for (const line of unchecked) {
      expect(allowed && line.includes(allowed) && text.includes(`Object.values(${allowed}).includes`) ? 'validated in place' : line.trim()).toBe('validated in place');
    }
  });
});
