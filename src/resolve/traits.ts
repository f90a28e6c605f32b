import type { DraftCell } from './network';
import type { PlanDependency } from './plan';
import { isImageReference } from '../model/checks';
import { Component } from '../model/component';
import { PlatformValidationError, ProblemCollector } from '../model/errors';
import { CIDR, HOSTNAME } from '../model/external-service';
import { ContainerOptions, checkContainerSettings } from '../model/sidecar';
import { StatefulService } from '../model/stateful-service';
import type { ITrait, TraitContext } from '../model/trait';

/** A trait attached to a component and where it comes from. @internal */
export interface AttachedTrait {
  readonly trait: ITrait;
  /** `component type 'http-api'` or `the component`. */
  readonly source: string;
}

/** A component's traits: its type's, then its own, sorted by name (declaration order never matters). @internal */
export function traitsOf(c: Component): AttachedTrait[] {
  const type = c.componentType;
  return [
    ...(type?._traits ?? []).map(trait => ({ trait, source: `component type '${type!.name}'` })),
    ...c._traits.map(trait => ({ trait, source: 'the component' })),
  ].sort((a, b) => (a.trait.name < b.trait.name ? -1 : a.trait.name > b.trait.name ? 1 : 0));
}

/** A trait's use by a component in one environment, as the plan keeps it. @internal */
export interface PlanTraitUse {
  readonly name: string;
  /** Container ports Prometheus scrapes for it, sorted. */
  readonly scrapePorts: number[];
}

/** What a component's traits need in one environment. @internal */
export interface ResolvedTraitNeeds {
  readonly sidecars: ContainerOptions[];
  readonly dependencies: PlanDependency[];
  readonly uses: PlanTraitUse[];
}

/** Runs a trait's method, turning anything it throws into a problem at the component. @internal */
export function callTrait<T>(c: Component, t: ITrait, method: string, env: string, run: () => T, problems: ProblemCollector): T | undefined {
  try {
    return run();
  } catch (e) {
    const detail = PlatformValidationError.isPlatformValidationError(e) ? e.problems.map(p => `${p.message} (${p.fix})`).join('; ') : e instanceof Error ? e.message : String(e);
    problems.add(c, `trait '${t.name}' failed in ${method}() in '${env}': ${detail}`, `fix trait '${t.name}' (its ${method}() must return data, not throw), or detach it`, { environment: env });
    return undefined;
  }
}

/**
 * Asks each trait of a component what it needs in one environment: sidecars (checked like the
 * component's own), egress (an external dependency in the network plan, shown by the reports as
 * `external:<name>`), scrape ports. @internal
 */
export function resolveTraitNeeds(c: Component, context: TraitContext, problems: ProblemCollector): ResolvedTraitNeeds {
  const sidecars: ContainerOptions[] = [];
  const dependencies: PlanDependency[] = [];
  const uses: PlanTraitUse[] = [];
  const env = context.environment;
  for (const { trait } of traitsOf(c)) {
    const needs = callTrait(c, trait, 'needs', env, () => trait.needs({ ...context, labels: { ...context.labels } }), problems) ?? {};
    const what = `trait '${trait.name}'`;
    sidecars.push(...(needs.sidecars ?? []));
    for (const e of needs.egress ?? []) {
      const target = e.cidrs && e.cidrs.length > 0 ? e.cidrs.join(', ') : e.host;
      if (typeof e.name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(e.name) || e.name.length > 63) {
        problems.add(c, `${what} declares egress named '${e.name}', which is not a DNS label`, "name the destination with lowercase letters, digits and '-', e.g. 'orders-db'", { environment: env });
        continue;
      }
      if (target === undefined) {
        problems.add(c, `${what} declares egress '${e.name}' with neither a host nor cidrs`, "give the destination's host (e.g. 'db.example.com') or cidrs", { environment: env });
        continue;
      }
      const bad = e.host !== undefined && !HOSTNAME.test(e.host) ? `host '${e.host}'` : (e.cidrs ?? []).filter(x => !CIDR.test(x)).map(x => `CIDR '${x}'`)[0];
      if (bad) {
        problems.add(c, `${what} declares egress '${e.name}' to ${bad}, which is not a DNS host name or IPv4 CIDR`, "use a host such as 'db.example.com' or a range such as '10.20.0.0/24'", { environment: env });
        continue;
      }
      if (!Number.isInteger(e.port) || e.port < 1 || e.port > 65535) {
        problems.add(c, `${what} declares egress '${e.name}' on port ${JSON.stringify(e.port)}, which is not a port from 1 to 65535`, 'give the destination port, e.g. 5432', { environment: env });
        continue;
      }
      const cidrs = e.cidrs && e.cidrs.length > 0 ? [...new Set(e.cidrs)].sort() : undefined;
      dependencies.push({
        kind: 'external',
        host: e.host ?? cidrs![0].split('/')[0],
        port: e.port,
        targetPort: e.port,
        protocol: e.udp ? 'UDP' : 'TCP',
        address: `${e.host ?? cidrs![0].split('/')[0]}:${e.port}`,
        service: e.name,
        fqdn: cidrs ? undefined : e.host,
        cidrs,
        trait: trait.name,
      });
    }
    const scrapePorts = [...new Set(needs.scrapePorts ?? [])].sort((a, b) => a - b);
    for (const port of scrapePorts) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        problems.add(c, `${what} declares scrape port ${JSON.stringify(port)}, which is not a port from 1 to 65535`, 'give a container port of the component or of its sidecars', { environment: env });
      }
    }
    uses.push({ name: trait.name, scrapePorts: scrapePorts.filter(p => Number.isInteger(p) && p >= 1 && p <= 65535) });
  }
  if (sidecars.length > 0) checkTraitSidecars(c, sidecars, env, problems);
  return { sidecars, dependencies, uses };
}

/** Checks trait sidecars together with the component's own containers (names, ports, mounts). */
function checkTraitSidecars(c: Component, sidecars: ContainerOptions[], env: string, problems: ProblemCollector): void {
  const p = c._props;
  const volumes = c instanceof StatefulService ? c.volumes.map(v => v.name) : [];
  try {
    const all = { initContainers: p.initContainers, sidecars: [...(p.sidecars ?? []), ...sidecars], emptyDirs: p.emptyDirs };
    checkContainerSettings(c, all, volumes, isImageReference);
  } catch (e) {
    if (!PlatformValidationError.isPlatformValidationError(e)) throw e;
    for (const x of e.problems) problems.add(c, `a trait's sidecar in '${env}': ${x.message}`, x.fix, { environment: env });
  }
}

/**
 * Scrape ports must be ports the pod listens on (or no flow exists for the report to show), and
 * one name must mean one destination per environment: the connectivity report names external
 * ends `external:<name>`. @internal
 */
export function checkTraitNetwork(cells: readonly DraftCell[], externalServices: Map<string, string>, problems: ProblemCollector): void {
  const targets = new Map<string, { where: string; target: string }>();
  for (const cell of cells) {
    for (const c of cell.components) {
      const ports = new Set<number>([
        ...c.endpoints.map(e => e.targetPort),
        ...(c.observability.metrics ? [c.observability.metrics.containerPort] : []),
        ...c.sidecars.flatMap(s => s.ports.map(x => x.containerPort)),
      ]);
      for (const use of c.traits ?? []) {
        for (const port of use.scrapePorts) {
          if (!ports.has(port)) {
            problems.add(c.path, `trait '${use.name}' declares scrape port ${port}, which no container of the component listens on in '${cell.environment}'`,
              `scrape one of its ports (${[...ports].sort((a, b) => a - b).join(', ') || 'none'}), or declare the port on the trait's sidecar`, { environment: cell.environment });
          }
        }
      }
      for (const d of c.dependencies) {
        if (d.kind !== 'external') continue;
        const target = `${d.fqdn ?? d.cidrs!.join(',')}:${d.port}/${d.protocol}`;
        const key = `${cell.dataPlane}/${cell.environment}/${d.service}`;
        const where = d.trait ? `trait '${d.trait}' of ${c.path}` : `external service '${d.service}'`;
        const known = d.trait ? externalServices.get(d.service!) : undefined;
        if (known !== undefined && known !== target) {
          problems.add(c.path, `trait '${d.trait}' names its egress '${d.service}' (${target}), the name of external service '${d.service}' (${known})`,
            `give the trait's destination another name than '${d.service}'`);
          continue;
        }
        const first = targets.get(key);
        if (first && first.target !== target) {
          problems.add(c.path, `egress '${d.service}' of ${where} goes to ${target}, but ${first.where} names ${first.target} so in '${cell.environment}'`,
            'give one of the destinations another name (the reports show external:<name>)', { environment: cell.environment });
        } else if (!first) {
          targets.set(key, { where, target });
        }
      }
    }
  }
}
