import { Construct } from 'constructs';
import { RouteOptions } from './api-policy';
import { checkApiPolicy, checkPathPrefix } from './api-policy-checks';
import { checkDns1035Label, checkDnsLabel, checkPort } from './checks';
import type { Component } from './component';
import type { Environment } from './environment';
import { fail } from './errors';
import { Organization } from './organization';

/**
 * The protocol an endpoint speaks.
 * @see https://openchoreo.dev/docs/reference/api/application/workload/
 */
export enum EndpointType {
  /** HTTP/1.1 or HTTP/2 REST traffic. */
  HTTP = 'HTTP',
  /** gRPC. */
  GRPC = 'gRPC',
  /** GraphQL over HTTP. */
  GRAPHQL = 'GraphQL',
  /** WebSocket. */
  WEBSOCKET = 'Websocket',
  /** Raw TCP. */
  TCP = 'TCP',
  /** Raw UDP. */
  UDP = 'UDP',
}

/**
 * Who may reach an endpoint. Every endpoint is implicitly visible to its own project.
 */
export enum Visibility {
  /** Components of the same project, in the same environment (always included). */
  PROJECT = 'project',
  /** Components of any project of the organization, in the same environment (OpenChoreo: `namespace`). */
  ORGANIZATION = 'namespace',
  /** Clients inside the organization's network, through the data plane's internal gateway. */
  INTERNAL = 'internal',
  /** The internet, through the data plane's external gateway. */
  PUBLIC = 'external',
}

/** Options of an endpoint. */
export interface EndpointOptions {
  /** Service port the endpoint is exposed on. */
  readonly port: number;
  /**
   * Protocol.
   * @default EndpointType.HTTP
   */
  readonly type?: EndpointType;
  /**
   * Container port, when it differs from `port`.
   * @default - same as port
   */
  readonly targetPort?: number;
  /**
   * Base path of the API (HTTP, GraphQL and WebSocket only), used in injected addresses.
   * @default '/'
   */
  readonly basePath?: string;
  /**
   * Visibilities beyond the implicit project visibility.
   * @default - project only
   */
  readonly visibility?: Visibility[];
  /**
   * Routing and API policy of the endpoint's gateway routes (INTERNAL and PUBLIC visibility), in
   * every environment. Narrow it per visibility or environment with `configureRoute`.
   * @default - the default host name and path prefix, no API policy
   */
  readonly route?: RouteOptions;
}

/** Where route options apply: one visibility, one environment, or both. */
export interface RouteScope {
  /**
   * The gateway visibility (INTERNAL or PUBLIC) whose route the options apply to.
   * @default - both gateway routes of the endpoint
   */
  readonly visibility?: Visibility;
  /**
   * The environment the options apply in.
   * @default - every environment
   */
  readonly environment?: Environment;
}

/** Route options recorded for a scope. @internal */
export interface RouteLayer {
  readonly visibility?: Visibility;
  readonly environment?: Environment;
  readonly options: RouteOptions;
}

const PATH = /^\/([A-Za-z0-9._~!$&'()*+,;=:@%-]+\/?)*$/;
const VISIBILITY_ORDER = [Visibility.PROJECT, Visibility.ORGANIZATION, Visibility.INTERNAL, Visibility.PUBLIC];
const GATEWAY_VISIBILITIES = [Visibility.INTERNAL, Visibility.PUBLIC];
const GATEWAY_TYPES = [EndpointType.HTTP, EndpointType.GRAPHQL, EndpointType.WEBSOCKET, EndpointType.GRPC];

/**
 * A network endpoint a component offers. Create it with `component.addEndpoint(name, options)`;
 * `new Endpoint(component, name, options)` does the same (the endpoint registers itself with its
 * component, so it is rendered either way).
 * @see https://openchoreo.dev/docs/reference/api/application/workload/
 */
export class Endpoint extends Construct {
  /** The component offering the endpoint. */
  public readonly component: Component;
  /** The endpoint's name, unique within its component. */
  public readonly name: string;
  /** Protocol. */
  public readonly type: EndpointType;
  /** Service port. */
  public readonly port: number;
  /** Container port. */
  public readonly targetPort: number;
  /** Base path. */
  public readonly basePath: string;
  /** Visibilities, always including PROJECT, in a fixed order. */
  public readonly visibility: Visibility[];
  /** @internal */ public readonly _routeLayers: RouteLayer[] = [];

  /** Declares an endpoint of `component`; prefer `component.addEndpoint(name, options)`. */
  constructor(component: Component, name: string, options: EndpointOptions) {
    super(component, name);
    this.component = component;
    this.name = checkDns1035Label(this, 'endpoint name', name, 'a Service port name');
    this.type = options.type ?? EndpointType.HTTP;
    if (!Object.values(EndpointType).includes(this.type)) {
      fail(this, `endpoint type '${this.type}' is unknown`, `use one of ${Object.keys(EndpointType).map(k => `EndpointType.${k}`).join(', ')}`);
    }
    this.port = checkPort(this, 'endpoint port', options.port);
    this.targetPort = checkPort(this, 'endpoint targetPort', options.targetPort ?? options.port);
    const httpLike = [EndpointType.HTTP, EndpointType.GRAPHQL, EndpointType.WEBSOCKET].includes(this.type);
    if (options.basePath !== undefined && !httpLike) {
      fail(this, `basePath '${options.basePath}' is set on a ${this.type} endpoint`, 'remove basePath: only HTTP, GraphQL and Websocket endpoints have paths');
    }
    this.basePath = options.basePath ?? '/';
    if (!PATH.test(this.basePath)) {
      fail(this, `basePath '${this.basePath}' is not an absolute URL path`, "start it with '/' and use URL path characters only (e.g. '/api/v1')");
    }
    const requested = new Set<Visibility>([Visibility.PROJECT, ...(options.visibility ?? [])]);
    for (const v of requested) {
      if (!VISIBILITY_ORDER.includes(v)) {
        fail(this, `visibility '${v}' is unknown`, 'use Visibility.PROJECT, ORGANIZATION, INTERNAL or PUBLIC');
      }
    }
    this.visibility = VISIBILITY_ORDER.filter(v => requested.has(v));
    const exposed = this.visibility.filter(v => GATEWAY_VISIBILITIES.includes(v));
    if (exposed.length > 0 && !GATEWAY_TYPES.includes(this.type)) {
      fail(this, `${this.type} endpoint '${name}' is ${exposed.map(v => `Visibility.${v === Visibility.PUBLIC ? 'PUBLIC' : 'INTERNAL'}`).join(' and ')}, but the HTTP gateways cannot route ${this.type}`,
        'keep the endpoint at PROJECT or ORGANIZATION visibility (reached inside the cluster), or serve it over HTTP or gRPC');
    }
    if (options.route) this.configureRoute(options.route);
    component._registerEndpoint(this);
  }

  /**
   * Sets how the endpoint's gateway routes are built and which API policy they enforce. Options of
   * a narrower scope (a visibility, an environment, or both) replace the same fields of a wider
   * one; within a scope, later calls replace earlier ones field by field.
   */
  public configureRoute(options: RouteOptions, scope: RouteScope = {}): void {
    const where = `route options${scope.visibility ? ` for ${scope.visibility === Visibility.PUBLIC ? 'PUBLIC' : 'INTERNAL'}` : ''}${scope.environment ? ` in '${scope.environment.name}'` : ''}`;
    const exposed = this.visibility.filter(v => GATEWAY_VISIBILITIES.includes(v));
    if (exposed.length === 0) {
      fail(this, `${where} are set on endpoint '${this.name}', which has no gateway route (it is not INTERNAL or PUBLIC)`,
        'add Visibility.INTERNAL or Visibility.PUBLIC to the endpoint, or remove the route options');
    }
    if (scope.visibility !== undefined && !exposed.includes(scope.visibility)) {
      fail(this, `${where} target visibility '${scope.visibility}', which is not a gateway visibility of endpoint '${this.name}'`,
        `use one of the endpoint's gateway visibilities: ${exposed.map(v => `Visibility.${v === Visibility.PUBLIC ? 'PUBLIC' : 'INTERNAL'}`).join(', ')}`);
    }
    const org = Organization.ofConstruct(this);
    if (scope.environment !== undefined && scope.environment.organization !== org) {
      fail(this, `${where} target environment '${scope.environment.node.path}', which is not an environment of organization '${org.name}'`,
        'pass an Environment declared in the same organization');
    }
    if (options.hostLabel !== undefined) checkDnsLabel(this, `${where}: hostLabel`, options.hostLabel);
    checkPathPrefix(this, `${where}: pathPrefix`, options.pathPrefix);
    if (options.pathPrefix !== undefined && this.type === EndpointType.GRPC) {
      fail(this, `${where}: pathPrefix '${options.pathPrefix}' is set on gRPC endpoint '${this.name}'`, 'remove pathPrefix: gRPC routes match whole host names (set hostLabel instead)');
    }
    checkApiPolicy(this, `${where}: policy`, options.policy);
    this._routeLayers.push({ visibility: scope.visibility, environment: scope.environment, options });
    org._changed();
  }

  /** Whether the endpoint has the given visibility. */
  public isVisibleTo(visibility: Visibility): boolean {
    return this.visibility.includes(visibility);
  }
}
