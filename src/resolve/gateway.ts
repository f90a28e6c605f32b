import { PlanCertificate, PlanDataPlane, PlanGateway, PlanGatewayVisibility } from './plan';
import { envoyGatewayPods, DataPlane } from '../model/data-plane';
import { DurationTarget, formatDuration } from '../model/duration';
import { Environment } from '../model/environment';
import { ProblemCollector } from '../model/errors';
import { CertificateSource, ClientIpSource, EnvironmentGatewayOptions, GatewayOptions, GatewayServiceType, TlsVersion } from '../model/gateway';
import { Organization } from '../model/organization';

/** Which gateway of a data plane: the external one routes PUBLIC endpoints, the internal one INTERNAL. */
const VISIBILITIES: PlanGatewayVisibility[] = ['external', 'internal'];

/** The data plane's and the environments' gateways, and which one serves each environment. @internal */
export interface ResolvedGateways {
  readonly dataPlanes: Array<Omit<PlanDataPlane, 'observability'>>;
  /** The gateway routing `visibility` in `environment`, if any. */
  gatewayOf(environment: string, visibility: PlanGatewayVisibility): PlanGateway | undefined;
}

const settingsOf = (dp: DataPlane, v: PlanGatewayVisibility): GatewayOptions | undefined => (v === 'external' ? dp.externalGateway : dp.internalGateway);
const overridesOf = (env: Environment, v: PlanGatewayVisibility): EnvironmentGatewayOptions | undefined => (v === 'external' ? env.externalGateway : env.internalGateway);

/**
 * Resolves the gateways of every data plane: the data plane's own (shared by its environments)
 * and, for an environment that changes a gateway's settings, a Gateway of its own. @internal
 */
export function resolveGateways(org: Organization, problems: ProblemCollector): ResolvedGateways {
  const byEnvironment = new Map<string, PlanGateway>();
  const dataPlanes = org.dataPlanes.map(dp => {
    const envs = org.environments.filter(e => e.dataPlane === dp);
    const gateways: PlanGateway[] = [];
    for (const v of VISIBILITIES) {
      const base = settingsOf(dp, v);
      const shared = envs.filter(e => overridesOf(e, v) === undefined);
      if (base && shared.length > 0) {
        const pods = v === 'external' ? dp.externalGatewayPods : dp.internalGatewayPods;
        const g = planGateway(org, dp, v, `gateway-${v}`, base, shared, pods, undefined);
        gateways.push(g);
        for (const e of shared) byEnvironment.set(`${e.name}/${v}`, g);
      }
      for (const env of envs) {
        const override = overridesOf(env, v);
        if (!override) continue;
        const domain = override.domain ?? base?.domain;
        if (domain === undefined) {
          problems.add(env, `environment '${env.name}' changes the ${v} gateway, but data plane '${dp.name}' declares no ${v} gateway and the change sets no domain`,
            `set ${v}Gateway.domain on environment '${env.name}', or declare ${v}Gateway on data plane '${dp.name}'`);
          continue;
        }
        const merged: GatewayOptions = { ...(base ?? {}), ...definedOnly(override), domain };
        const name = `gateway-${v}-${env.name}`;
        const g = planGateway(org, dp, v, name, merged, [env], envoyGatewayPods(name, dp.gatewayNamespace, dp.gatewayProxyNamespace), env.name);
        gateways.push(g);
        byEnvironment.set(`${env.name}/${v}`, g);
      }
    }
    return {
      name: dp.name,
      gatewayNamespace: dp.gatewayNamespace,
      gatewayClassName: dp.gatewayClassName,
      apiServer: dp.apiServer,
      secretStore: dp.secretStore,
      secretRefreshInterval: formatDuration(dp.secretRefreshInterval, DurationTarget.GO),
      gateways: gateways.sort((a, b) => (a.name < b.name ? -1 : 1)),
    };
  });
  return {
    dataPlanes,
    gatewayOf: (environment, visibility) => byEnvironment.get(`${environment}/${visibility}`),
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function planGateway(
  org: Organization, dp: DataPlane, visibility: PlanGatewayVisibility, name: string, s: GatewayOptions,
  envs: Environment[], pods: PlanGateway['pods'], environment: string | undefined,
): PlanGateway {
  const t = s.clientTraffic ?? {};
  const ip = t.clientIpDetection;
  return {
    name,
    namespace: dp.gatewayNamespace,
    visibility,
    className: dp.gatewayClassName,
    organization: org.name,
    dataPlane: dp.name,
    environment,
    environments: envs.map(e => e.name).sort(),
    domain: s.domain,
    certificate: s.certificate ? certificateOf(name, s.certificate._source, s.certificate._value) : undefined,
    clientTraffic: {
      minTlsVersion: t.minTlsVersion ?? TlsVersion.TLS_1_2,
      requestTimeout: t.requestTimeout && formatDuration(t.requestTimeout, DurationTarget.GATEWAY),
      idleTimeout: t.idleTimeout && formatDuration(t.idleTimeout, DurationTarget.GATEWAY),
      http2MaxConcurrentStreams: t.http2MaxConcurrentStreams,
      clientIp: ip === undefined ? undefined
        : ip._source === ClientIpSource.X_FORWARDED_FOR ? { xForwardedForHops: ip._trustedHops! } : { header: ip._header! },
    },
    replicas: s.replicas ?? 2,
    // an internal gateway is not given a (possibly public) load balancer unless asked to
    serviceType: s.serviceType ?? (visibility === 'internal' ? GatewayServiceType.CLUSTER_IP : GatewayServiceType.LOAD_BALANCER),
    serviceAnnotations: { ...(s.serviceAnnotations ?? {}) },
    pods,
  };
}

function certificateOf(gateway: string, source: CertificateSource, value: string): PlanCertificate {
  switch (source) {
    case CertificateSource.SECRET: return { secretName: value };
    case CertificateSource.SECRET_STORE: return { secretName: `${gateway}-tls`, remoteKey: value };
    case CertificateSource.CERT_MANAGER: return { secretName: `${gateway}-tls`, clusterIssuer: value };
  }
}
