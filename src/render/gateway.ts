import { k8s } from 'cdk8s-plus-28';
import { externalSecret } from './external-secret';
import { object } from './json';
import { ClientTrafficPolicy, ClientTrafficPolicyProps, ClientTrafficPolicySpecTlsMinVersion } from '../imports/gateway.envoyproxy.io';
import {
  GatewayClassProps, GatewayProps, GatewaySpecListeners, GatewaySpecListenersAllowedRoutesNamespacesFrom, GatewaySpecListenersTlsMode,
  HttpRouteProps, HttpRouteSpecRulesFiltersRequestRedirectScheme, HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType,
} from '../imports/gateway.networking.k8s.io';
import { Labels, MANAGED_BY, podSecurityLabels } from '../resolve/labels';
import { PlanDataPlane, PlanGateway } from '../resolve/plan';

/** Envoy Gateway's controller name, which a GatewayClass names to be served by it. */
const ENVOY_GATEWAY_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';
const GATEWAY_API = 'gateway.networking.k8s.io';

/** Labels of a data plane's platform objects. @internal */
export function platformLabels(organization: string, dataPlane: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [Labels.NAMESPACE]: organization, [Labels.DATAPLANE]: dataPlane, [Labels.MANAGED_BY]: MANAGED_BY, ...extra };
}

/**
 * A data plane's gateway layer: the gateway namespace, the GatewayClass served by Envoy Gateway,
 * and per gateway its EnvoyProxy settings, the Gateway (HTTP and, with a certificate, HTTPS
 * listeners for `*.<domain>` that admit routes from exactly the cells of its environments), the
 * ClientTrafficPolicy, the HTTP → HTTPS redirect and the certificate's ExternalSecret. @internal
 */
export function renderGateways(organization: string, dp: PlanDataPlane): any[] {
  if (dp.gateways.length === 0) return [];
  const labels = platformLabels(organization, dp.name);
  const out: any[] = [
    object<k8s.KubeNamespaceProps>('v1', 'Namespace', {
      // Only Gateway objects and Secrets live here (the proxies run in Envoy Gateway's namespace).
      metadata: { name: dp.gatewayNamespace, labels: { ...labels, ...podSecurityLabels('restricted') } },
    }),
    object<GatewayClassProps>(`${GATEWAY_API}/v1`, 'GatewayClass', {
      metadata: { name: dp.gatewayClassName, labels },
      spec: { controllerName: ENVOY_GATEWAY_CONTROLLER, description: `Envoy Gateway, data plane ${dp.name}`.slice(0, 64) },
    }),
  ];
  for (const g of dp.gateways) out.push(...renderGateway(organization, dp, g));
  return out;
}

function renderGateway(organization: string, dp: PlanDataPlane, g: PlanGateway): any[] {
  const labels = platformLabels(organization, dp.name, {
    'openchoreo.dev/gateway': g.visibility,
    ...(g.environment ? { [Labels.ENVIRONMENT]: g.environment } : {}),
  });
  const metadata = { name: g.name, namespace: g.namespace, labels };
  const hostname = `*.${g.domain}`;
  const cells = {
    from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR,
    selector: {
      matchLabels: { [Labels.NAMESPACE]: organization, [Labels.MANAGED_BY]: MANAGED_BY },
      matchExpressions: [{ key: Labels.ENVIRONMENT, operator: 'In', values: g.environments }],
    },
  };
  const listeners: GatewaySpecListeners[] = [{
    name: 'http',
    protocol: 'HTTP',
    port: 80,
    hostname,
    // With HTTPS, plain HTTP only carries the redirect route of the gateway's own namespace.
    allowedRoutes: { namespaces: g.certificate ? { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } : cells },
  }];
  if (g.certificate) {
    listeners.push({
      name: 'https',
      protocol: 'HTTPS',
      port: 443,
      hostname,
      tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ group: '', kind: 'Secret', name: g.certificate.secretName }] },
      allowedRoutes: { namespaces: cells },
    });
  }
  const out: any[] = [
    envoyProxy(metadata, g),
    object<GatewayProps>(`${GATEWAY_API}/v1`, 'Gateway', {
      metadata: {
        ...metadata,
        ...(g.certificate?.clusterIssuer ? { annotations: { 'cert-manager.io/cluster-issuer': g.certificate.clusterIssuer } } : {}),
      },
      spec: {
        gatewayClassName: g.className,
        infrastructure: { parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: g.name } },
        listeners,
      },
    }),
    clientTrafficPolicy(metadata, g),
  ];
  if (g.certificate) {
    out.push(object<HttpRouteProps>(`${GATEWAY_API}/v1`, 'HTTPRoute', {
      metadata: { ...metadata, name: `${g.name}-https-redirect` },
      spec: {
        parentRefs: [{ group: GATEWAY_API, kind: 'Gateway', name: g.name, sectionName: 'http' }],
        rules: [{
          filters: [{
            type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
            requestRedirect: {
              scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
              statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
            },
          }],
        }],
      },
    }));
    if (g.certificate.remoteKey) {
      out.push(externalSecret({ ...metadata, name: g.certificate.secretName }, g.certificate.secretName, [
        { secretKey: 'tls.crt', remoteKey: g.certificate.remoteKey, property: 'tls.crt' },
        { secretKey: 'tls.key', remoteKey: g.certificate.remoteKey, property: 'tls.key' },
      ], dp, 'kubernetes.io/tls'));
    }
  }
  return out;
}

/** The proxies' deployment: replicas, a disruption budget, their Service, and labels naming them as gateway pods. */
function envoyProxy(metadata: { name: string; namespace: string; labels: Record<string, string> }, g: PlanGateway): any {
  return {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'EnvoyProxy',
    metadata,
    spec: {
      provider: {
        type: 'Kubernetes',
        kubernetes: {
          envoyDeployment: {
            replicas: g.replicas,
            pod: { labels: { 'openchoreo.dev/system-component': 'gateway', 'openchoreo.dev/gateway': g.visibility } },
          },
          ...(g.replicas > 1 ? { envoyPDB: { minAvailable: 1 } } : {}),
          envoyService: {
            type: g.serviceType,
            ...(Object.keys(g.serviceAnnotations).length > 0 ? { annotations: sortedRecord(g.serviceAnnotations) } : {}),
          },
        },
      },
    },
  };
}

function clientTrafficPolicy(metadata: { name: string; namespace: string; labels: Record<string, string> }, g: PlanGateway): any {
  const t = g.clientTraffic;
  const http = {
    ...(t.requestTimeout ? { requestReceivedTimeout: t.requestTimeout } : {}),
    ...(t.idleTimeout ? { idleTimeout: t.idleTimeout } : {}),
  };
  const props: ClientTrafficPolicyProps = {
    metadata,
    spec: {
      targetRefs: [{ group: GATEWAY_API, kind: 'Gateway', name: g.name }],
      ...(g.certificate ? { tls: { minVersion: t.minTlsVersion === '1.3' ? ClientTrafficPolicySpecTlsMinVersion.VALUE_1_3 : ClientTrafficPolicySpecTlsMinVersion.VALUE_1_2 } } : {}),
      ...(Object.keys(http).length > 0 ? { timeout: { http } } : {}),
      ...(t.http2MaxConcurrentStreams ? { http2: { maxConcurrentStreams: t.http2MaxConcurrentStreams } } : {}),
      ...(t.clientIp ? {
        clientIpDetection: t.clientIp.header
          ? { customHeader: { name: t.clientIp.header } }
          : { xForwardedFor: { numTrustedHops: t.clientIp.xForwardedForHops } },
      } : {}),
    },
  };
  return ClientTrafficPolicy.manifest(props);
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
}
