import { Construct } from 'constructs';
import { checkDns1035Label, checkPort } from './checks';
import type { Component } from './component';
import { fail } from './errors';

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
}

const PATH = /^\/([A-Za-z0-9._~!$&'()*+,;=:@%-]+\/?)*$/;
const VISIBILITY_ORDER = [Visibility.PROJECT, Visibility.ORGANIZATION, Visibility.INTERNAL, Visibility.PUBLIC];

/**
 * A network endpoint a component offers. Create it with `component.addEndpoint(name, options)`.
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

  /** @internal */
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
  }

  /** Whether the endpoint has the given visibility. */
  public isVisibleTo(visibility: Visibility): boolean {
    return this.visibility.includes(visibility);
  }
}
