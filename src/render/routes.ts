import { object, Plain } from './json';
import { componentMetadata } from './metadata';
import {
  GrpcRouteProps, GrpcRouteSpecRulesFilters, GrpcRouteSpecRulesFiltersType, HttpRouteProps, HttpRouteSpecRulesFilters, HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesFiltersUrlRewritePathType, HttpRouteSpecRulesMatchesPathType,
} from '../imports/gateway.networking.k8s.io';
import { Annotations, Labels } from '../resolve/labels';
import { Cell, PlanComponent, PlanHeaderChanges, PlanRoute } from '../resolve/plan';

const GATEWAY_API = 'gateway.networking.k8s.io';

/** Route metadata: the component's labels plus OpenChoreo's endpoint labels. @internal */
export function routeMetadata(cell: Cell, c: PlanComponent, r: PlanRoute, name = r.name) {
  const base = componentMetadata(cell, c, name);
  return {
    ...base,
    labels: { ...base.labels, [Labels.ENDPOINT_NAME]: r.endpoint, [Labels.ENDPOINT_VISIBILITY]: r.visibility },
  };
}

function headerModifier(h: PlanHeaderChanges) {
  return {
    ...(h.set.length > 0 ? { set: h.set } : {}),
    ...(h.add.length > 0 ? { add: h.add } : {}),
    ...(h.remove.length > 0 ? { remove: h.remove } : {}),
  };
}

/**
 * The component's gateway routes: an HTTPRoute (HTTP, GraphQL, Websocket) matching the route's
 * host name and path prefix and rewriting it to the endpoint's base path, or a GRPCRoute matching
 * the host name; header changes of the API policy become route filters. @internal
 */
export function renderRoutes(cell: Cell, c: PlanComponent): any[] {
  return c.routes.map(r => {
    const endpoint = c.endpoints.find(e => e.name === r.endpoint)!;
    const metadata = { ...routeMetadata(cell, c, r), annotations: { [Annotations.ENDPOINT_BASE_PATH]: endpoint.basePath } };
    const parentRefs = [{ group: GATEWAY_API, kind: 'Gateway', name: r.gateway.name, namespace: r.gateway.namespace, sectionName: r.gateway.sectionName }];
    const backendRefs = [{ name: r.backend.service, port: r.backend.port }];
    const { requestHeaders: req, responseHeaders: res } = r.policy;
    if (r.kind === 'GRPCRoute') {
      const filters: Array<Plain<GrpcRouteSpecRulesFilters>> = [];
      if (req) filters.push({ type: GrpcRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER, requestHeaderModifier: headerModifier(req) });
      if (res) filters.push({ type: GrpcRouteSpecRulesFiltersType.RESPONSE_HEADER_MODIFIER, responseHeaderModifier: headerModifier(res) });
      return object<GrpcRouteProps>(`${GATEWAY_API}/v1`, 'GRPCRoute', {
        metadata,
        spec: { parentRefs, hostnames: [r.hostname], rules: [{ ...(filters.length > 0 ? { filters } : {}), backendRefs }] },
      });
    }
    const filters: Array<Plain<HttpRouteSpecRulesFilters>> = [];
    if (r.rewritePath !== undefined) {
      filters.push({
        type: HttpRouteSpecRulesFiltersType.URL_REWRITE,
        urlRewrite: { path: { type: HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_PREFIX_MATCH, replacePrefixMatch: r.rewritePath } },
      });
    }
    if (req) filters.push({ type: HttpRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER, requestHeaderModifier: headerModifier(req) });
    if (res) filters.push({ type: HttpRouteSpecRulesFiltersType.RESPONSE_HEADER_MODIFIER, responseHeaderModifier: headerModifier(res) });
    return object<HttpRouteProps>(`${GATEWAY_API}/v1`, 'HTTPRoute', {
      metadata,
      spec: {
        parentRefs,
        hostnames: [r.hostname],
        rules: [{
          matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: r.pathPrefix! } }],
          ...(filters.length > 0 ? { filters } : {}),
          backendRefs,
        }],
      },
    });
  });
}
