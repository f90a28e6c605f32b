import type { DraftComponent } from './network';
import { cpuMillis, memoryBytes } from '../model/checks';
import { Component } from '../model/component';
import { ComponentTypeConstraints } from '../model/component-type';
import { Visibility } from '../model/endpoint';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';

const VISIBILITY_NAMES: Record<string, string> = {
  [Visibility.PROJECT]: 'Visibility.PROJECT',
  [Visibility.ORGANIZATION]: 'Visibility.ORGANIZATION',
  [Visibility.INTERNAL]: 'Visibility.INTERNAL',
  [Visibility.PUBLIC]: 'Visibility.PUBLIC',
};

/**
 * Checks a component against its type's rules in one environment, on the resolved values (type
 * defaults, component props and environment overrides applied). Each problem names the type, the
 * rule, the value and the fix. @internal
 */
export function checkComponentType(c: Component, env: Environment, d: DraftComponent, problems: ProblemCollector): void {
  const type = c.componentType;
  if (!type) return;
  const rules: ComponentTypeConstraints = type._constraintsIn(env);
  const add = (rule: string, message: string, fix: string) =>
    problems.add(c, `${message} in '${env.name}', outside component type '${type.name}' (rule ${rule})`, fix, { environment: env.name });
  const override = `configureEnvironment(${env.name}, {...})`;

  const min = d.autoscaling ? d.autoscaling.minReplicas : d.replicas;
  const max = d.autoscaling ? d.autoscaling.maxReplicas : d.replicas;
  const field = d.autoscaling ? 'autoscaling.' : '';
  if (rules.minReplicas !== undefined && min !== undefined && min < rules.minReplicas) {
    add('minReplicas', `${field}${d.autoscaling ? 'minReplicas' : 'replicas'} ${min} is below ${rules.minReplicas}`,
      `set ${field}${d.autoscaling ? 'minReplicas' : 'replicas'} to at least ${rules.minReplicas} (on the component, or with ${override})`);
  }
  if (rules.maxReplicas !== undefined && max !== undefined && max > rules.maxReplicas) {
    add('maxReplicas', `${field}${d.autoscaling ? 'maxReplicas' : 'replicas'} ${max} is above ${rules.maxReplicas}`,
      `set ${field}${d.autoscaling ? 'maxReplicas' : 'replicas'} to at most ${rules.maxReplicas} (on the component, or with ${override})`);
  }
  const r = d.resources;
  const bound = (
    rule: keyof ComponentTypeConstraints, value: string, limit: string | undefined, parse: (s: string) => number, below: boolean, prop: string,
  ) => {
    if (limit === undefined) return;
    if (below ? parse(value) < parse(limit) : parse(value) > parse(limit)) {
      add(rule, `resources ${prop} ${value} is ${below ? 'below' : 'above'} ${limit}`, `set resources.${prop} to ${below ? 'at least' : 'at most'} ${limit} (on the component, or with ${override})`);
    }
  };
  bound('minCpuRequest', r.requests.cpu, rules.minCpuRequest, cpuMillis, true, 'cpuRequest');
  bound('maxCpuLimit', r.limits.cpu, rules.maxCpuLimit, cpuMillis, false, 'cpuLimit');
  bound('minMemoryRequest', r.requests.memory, rules.minMemoryRequest, memoryBytes, true, 'memoryRequest');
  bound('maxMemoryLimit', r.limits.memory, rules.maxMemoryLimit, memoryBytes, false, 'memoryLimit');

  if (rules.allowedVisibilities) {
    const allowed = new Set([Visibility.PROJECT, ...rules.allowedVisibilities]);
    for (const e of d.endpoints) {
      for (const v of e.visibility.filter(x => !allowed.has(x))) {
        add('allowedVisibilities', `endpoint '${e.name}' has visibility ${VISIBILITY_NAMES[v]}`,
          `remove ${VISIBILITY_NAMES[v]} from endpoint '${e.name}' (allowed: ${[...allowed].map(x => VISIBILITY_NAMES[x]).join(', ')}), or use another component type`);
      }
    }
  }
  for (const probe of rules.requiredProbes ?? []) {
    if (!d.pod.probes[probe]) {
      add('requiredProbes', `the main container has no ${probe} probe`, `add probes: { ${probe}: Probe.http({ endpoint: '<endpoint>', path: '/healthz' }) } (or another Probe) to the component`);
    }
  }
  for (const key of rules.requiredLabels ?? []) {
    if (d.pod.labels[key] === undefined) {
      add('requiredLabels', `label '${key}' is missing`, `set labels: { '${key}': '<value>' } on the component`);
    }
  }
  if (rules.requireDisruptionBudget && !d.disruptionBudget) {
    add('requireDisruptionBudget', 'the component has no disruption budget', 'set disruptionBudget: DisruptionBudget.maxUnavailable(1) (on the component, or with ' + override + ')');
  }
}
