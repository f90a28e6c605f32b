import { fnv1a32, sanitizeNamePart, stableUid } from './naming';
import type { PlanEndpoint, PlanEnvVar, PlanSecretData, PlanSecurity } from './plan';
import { Component } from '../model/component';
import { Endpoint, EndpointType } from '../model/endpoint';
import { PodSecurityRule } from '../model/options';

/**
 * The parts of a resolved component that are the same in every environment: computed at its first
 * environment and shared by the others (the plan is read-only, so one object serves them all).
 * @internal
 */
export interface ComponentInvariants {
  /** Its construct path (the construct library computes it at every call). */
  readonly path: string;
  readonly uid: string;
  /** Its endpoints as declared, sorted by name (the component sorts them at every call). */
  readonly declaredEndpoints: Endpoint[];
  readonly endpoints: PlanEndpoint[];
  /** Secret env vars, sorted by key. */
  readonly secretEnv: PlanSecretData[];
  readonly secretEnvNames: ReadonlySet<string>;
  /** FNV-1a of the secret env vars (part of the Secret's name), when there are any. */
  readonly secretEnvHash?: string;
  /** Plain env vars as declared (no environment override), sorted by name, and their names. */
  readonly declaredEnv: PlanEnvVar[];
  readonly declaredEnvNames: ReadonlySet<string>;
  readonly security: PlanSecurity;
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The fingerprint of a secret reference (its key, remote key, property and version). @internal */
export function secretFingerprint(s: PlanSecretData): string {
  return `${s.secretKey}\0${s.remoteKey}\0${s.property ?? ''}\0${s.version ?? ''}\0`;
}

/** Plain env vars of a map, sorted by name. @internal */
export function envVarsOf(env: Record<string, string>): PlanEnvVar[] {
  // Object.keys: the same keys in the same order as Object.entries, without a pair per variable.
  return Object.keys(env).map(name => ({ name, value: env[name] })).sort(byName);
}

/** Invariants per component, for one resolve (components may change between two synths). @internal */
export class ComponentInvariantsCache {
  private readonly cache = new Map<Component, ComponentInvariants>();
  constructor(private readonly organization: string) {}

  public of(c: Component): ComponentInvariants {
    let inv = this.cache.get(c);
    if (!inv) {
      inv = this.compute(c);
      this.cache.set(c, inv);
    }
    return inv;
  }

  private compute(c: Component): ComponentInvariants {
    const p = c._props;
    const secretEnv: PlanSecretData[] = Object.entries(p.secretEnv ?? {})
      .map(([secretKey, ref]) => ({ secretKey, remoteKey: ref.key, property: ref.property, version: ref.version }))
      .sort((a, b) => (a.secretKey < b.secretKey ? -1 : 1));
    const declaredEnv = envVarsOf(p.env ?? {});
    const exceptions = c._securityExceptions;
    const relaxed = new Set(exceptions.map(e => e.rule));
    const declaredEndpoints = c.endpoints;
    return {
      path: c.node.path,
      uid: stableUid('Component', this.organization, c.project.name, c.name),
      declaredEndpoints,
      endpoints: declaredEndpoints.map(ep => ({
        name: ep.name,
        type: ep.type,
        port: ep.port,
        targetPort: ep.targetPort,
        protocol: ep.type === EndpointType.UDP ? 'UDP' as const : 'TCP' as const,
        portName: sanitizeNamePart(ep.name).slice(0, 15).replace(/-+$/, ''),
        basePath: ep.basePath,
        visibility: ep.visibility,
      })),
      secretEnv,
      secretEnvNames: new Set(Object.keys(p.secretEnv ?? {})),
      secretEnvHash: secretEnv.length === 0 ? undefined : fnv1a32(secretEnv.map(secretFingerprint).join('')),
      declaredEnv,
      declaredEnvNames: new Set(declaredEnv.map(v => v.name)),
      security: {
        exceptions,
        runAsNonRoot: !relaxed.has(PodSecurityRule.RUN_AS_NON_ROOT),
        noPrivilegeEscalation: !relaxed.has(PodSecurityRule.NO_PRIVILEGE_ESCALATION),
        dropAllCapabilities: !relaxed.has(PodSecurityRule.DROP_ALL_CAPABILITIES),
        seccompRuntimeDefault: !relaxed.has(PodSecurityRule.SECCOMP_RUNTIME_DEFAULT),
        readOnlyRootFilesystem: !relaxed.has(PodSecurityRule.READ_ONLY_ROOT_FILESYSTEM),
        automountServiceAccountToken: c.kubernetesApiAccess,
      },
    };
  }
}
