import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkDnsLabel, checkInteger, checkLabels } from './checks';
import { checkFormatDuration, DurationTarget } from './duration';
import { fail } from './errors';

/**
 * How a gateway's proxies are reachable: the type of the Kubernetes Service Envoy Gateway creates.
 * @see https://gateway.envoyproxy.io/docs/api/extension_types/#kubernetesservicespec
 */
export enum GatewayServiceType {
  /** A cloud load balancer (the usual choice for the external gateway). */
  LOAD_BALANCER = 'LoadBalancer',
  /** Reachable inside the cluster only. */
  CLUSTER_IP = 'ClusterIP',
  /** A port on every node. */
  NODE_PORT = 'NodePort',
}

/** The lowest TLS version a gateway accepts from clients. */
export enum TlsVersion {
  /** TLS 1.2 and newer. */
  TLS_1_2 = '1.2',
  /** TLS 1.3 only. */
  TLS_1_3 = '1.3',
}

/** How a gateway's certificate is provided. @internal */
export enum CertificateSource {
  SECRET = 'secret',
  SECRET_STORE = 'secret-store',
  CERT_MANAGER = 'cert-manager',
}

/**
 * The TLS certificate of a gateway's HTTPS listener (a `kubernetes.io/tls` Secret in the gateway
 * namespace). The certificate must cover `*.<domain>`.
 * @see https://gateway-api.sigs.k8s.io/guides/tls/
 */
export class GatewayCertificate {
  /** An existing `kubernetes.io/tls` Secret in the gateway namespace, managed outside the platform. */
  public static fromSecret(secretName: string): GatewayCertificate {
    return new GatewayCertificate(CertificateSource.SECRET, secretName);
  }

  /**
   * A certificate and key kept in the data plane's secret store (one remote secret with the
   * properties `tls.crt` and `tls.key`), fetched into a Secret by an ExternalSecret.
   * @param key the remote key, e.g. `certs/apps-acme-example`
   */
  public static fromSecretStore(key: string): GatewayCertificate {
    return new GatewayCertificate(CertificateSource.SECRET_STORE, key);
  }

  /**
   * A certificate issued by cert-manager's Gateway API support: the Gateway is annotated with the
   * ClusterIssuer and cert-manager writes the Secret its HTTPS listener names. A wildcard
   * certificate needs an issuer with a DNS-01 solver.
   * @see https://cert-manager.io/docs/usage/gateway/
   */
  public static fromCertManager(clusterIssuer: string): GatewayCertificate {
    return new GatewayCertificate(CertificateSource.CERT_MANAGER, clusterIssuer);
  }

  private constructor(
    /** @internal */ public readonly _source: CertificateSource,
    /** @internal */ public readonly _value: string,
  ) {}
}

/** How a gateway learns a client's address (for logs, rate limits and authorization). @internal */
export enum ClientIpSource {
  X_FORWARDED_FOR = 'xff',
  CUSTOM_HEADER = 'header',
}

/**
 * Where the client's address comes from when a load balancer or CDN sits in front of the gateway.
 * @see https://gateway.envoyproxy.io/docs/tasks/traffic/client-traffic-policy/
 */
export class ClientIpDetection {
  /** The address `trustedHops` entries from the right of `X-Forwarded-For` (one per trusted proxy in front). */
  public static xForwardedFor(trustedHops: number): ClientIpDetection {
    return new ClientIpDetection(ClientIpSource.X_FORWARDED_FOR, trustedHops, undefined);
  }

  /** The address in a header set by the proxy in front, e.g. `CF-Connecting-IP`. */
  public static customHeader(headerName: string): ClientIpDetection {
    return new ClientIpDetection(ClientIpSource.CUSTOM_HEADER, undefined, headerName);
  }

  private constructor(
    /** @internal */ public readonly _source: ClientIpSource,
    /** @internal */ public readonly _trustedHops?: number,
    /** @internal */ public readonly _header?: string,
  ) {}
}

/**
 * How a gateway treats client connections (rendered as an Envoy Gateway ClientTrafficPolicy).
 * @see https://gateway.envoyproxy.io/docs/api/extension_types/#clienttrafficpolicy
 */
export interface ClientTrafficOptions {
  /**
   * The lowest TLS version accepted on the HTTPS listener.
   * @default TlsVersion.TLS_1_2
   */
  readonly minTlsVersion?: TlsVersion;
  /**
   * Time allowed to receive a whole request (headers and body), e.g. `Duration.seconds(30)`.
   * @default - no limit (Envoy's default)
   */
  readonly requestTimeout?: Duration;
  /**
   * Idle time after which a client connection is closed, e.g. `Duration.minutes(15)`.
   * @default - 1h (Envoy Gateway's default)
   */
  readonly idleTimeout?: Duration;
  /**
   * The most concurrent HTTP/2 streams per client connection.
   * @default - 100 (Envoy's default)
   */
  readonly http2MaxConcurrentStreams?: number;
  /**
   * Where the client's address comes from.
   * @default - the address of the TCP connection
   */
  readonly clientIpDetection?: ClientIpDetection;
}

/** Settings of a gateway that an environment may override. */
export interface GatewaySettings {
  /**
   * The certificate of the HTTPS listener. With a certificate, plain HTTP requests are
   * redirected to HTTPS; without one, the gateway serves plain HTTP only.
   * @default - no HTTPS listener
   */
  readonly certificate?: GatewayCertificate;
  /**
   * Client connection settings.
   * @default - TLS 1.2 and newer, Envoy's timeouts and HTTP/2 settings
   */
  readonly clientTraffic?: ClientTrafficOptions;
  /**
   * Number of Envoy proxy replicas.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Type of the proxies' Kubernetes Service.
   * @default - GatewayServiceType.LOAD_BALANCER for the external gateway, GatewayServiceType.CLUSTER_IP for the internal one (give it an internal load balancer with serviceAnnotations)
   */
  readonly serviceType?: GatewayServiceType;
  /**
   * Annotations of the proxies' Service (e.g. an internal load balancer for the internal gateway).
   * @default - none
   */
  readonly serviceAnnotations?: { [key: string]: string };
}

/**
 * A gateway of a data plane: an Envoy Gateway `Gateway` with an HTTP and (with a certificate) an
 * HTTPS listener for `*.<domain>`.
 * @see https://gateway.envoyproxy.io/docs/concepts/
 */
export interface GatewayOptions extends GatewaySettings {
  /**
   * The DNS domain the gateway serves, e.g. `apps.acme.example`. Routes get host names one label
   * below it (`<label>.<domain>`), all covered by the listeners' `*.<domain>`.
   */
  readonly domain: string;
}

/** An environment's changes to a data-plane gateway. Any change gives the environment a Gateway of its own. */
export interface EnvironmentGatewayOptions extends GatewaySettings {
  /**
   * Another domain for this environment's routes.
   * @default - the data plane gateway's domain
   */
  readonly domain?: string;
}

const DOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

/** Validates gateway settings (a data plane's or an environment's). @internal */
export function checkGatewaySettings(scope: IConstruct, what: string, s: GatewaySettings & { readonly domain?: string }): void {
  if (s.domain !== undefined && (typeof s.domain !== 'string' || !DOMAIN.test(s.domain))) {
    fail(scope, `${what}.domain '${s.domain}' is not a DNS domain`, "use a lowercase domain with at least two labels, such as 'apps.acme.example' (no scheme, port or wildcard)");
  }
  const cert = s.certificate;
  if (cert !== undefined) {
    if (!(cert instanceof GatewayCertificate)) {
      fail(scope, `${what}.certificate is not a GatewayCertificate`, 'use GatewayCertificate.fromSecret(...), fromSecretStore(...) or fromCertManager(...)');
    }
    if (cert._source === CertificateSource.SECRET_STORE) {
      if (!cert._value || cert._value.trim() === '') fail(scope, `${what}.certificate has an empty secret-store key`, "give the remote key, e.g. GatewayCertificate.fromSecretStore('certs/apps')");
    } else {
      checkDnsLabel(scope, `${what}.certificate ${cert._source === CertificateSource.SECRET ? 'Secret' : 'ClusterIssuer'} name`, cert._value, 253);
    }
  }
  checkInteger(scope, `${what}.replicas`, s.replicas, 1, 100);
  if (s.serviceType !== undefined && !Object.values(GatewayServiceType).includes(s.serviceType)) {
    fail(scope, `${what}.serviceType '${s.serviceType}' is unknown`, 'use GatewayServiceType.LOAD_BALANCER, CLUSTER_IP or NODE_PORT');
  }
  for (const key of Object.keys(s.serviceAnnotations ?? {})) checkLabels(scope, `${what}.serviceAnnotations`, { [key]: 'x' });
  const t = s.clientTraffic;
  if (t) {
    if (t.minTlsVersion !== undefined && !Object.values(TlsVersion).includes(t.minTlsVersion)) {
      fail(scope, `${what}.clientTraffic.minTlsVersion '${t.minTlsVersion}' is not supported`, 'use TlsVersion.TLS_1_2 or TlsVersion.TLS_1_3');
    }
    checkFormatDuration(scope, `${what}.clientTraffic.requestTimeout`, t.requestTimeout, DurationTarget.GATEWAY, 'Duration.seconds(30)');
    checkFormatDuration(scope, `${what}.clientTraffic.idleTimeout`, t.idleTimeout, DurationTarget.GATEWAY, 'Duration.minutes(15)');
    checkInteger(scope, `${what}.clientTraffic.http2MaxConcurrentStreams`, t.http2MaxConcurrentStreams, 1, 2147483647);
    const ip = t.clientIpDetection;
    if (ip !== undefined) {
      if (!(ip instanceof ClientIpDetection)) fail(scope, `${what}.clientTraffic.clientIpDetection is not a ClientIpDetection`, 'use ClientIpDetection.xForwardedFor(hops) or ClientIpDetection.customHeader(name)');
      if (ip._source === ClientIpSource.X_FORWARDED_FOR) checkInteger(scope, `${what}.clientTraffic.clientIpDetection trusted hops`, ip._trustedHops, 1, 10);
      if (ip._source === ClientIpSource.CUSTOM_HEADER && !/^[A-Za-z0-9-]+$/.test(ip._header ?? '')) {
        fail(scope, `${what}.clientTraffic.clientIpDetection header '${ip._header}' is not a header name`, "use letters, digits and '-', e.g. 'CF-Connecting-IP'");
      }
    }
  }
}

/** Checks an HTTP header name (RFC 9110 token). @internal */
export function checkHeaderName(scope: IConstruct, what: string, name: string): string {
  if (typeof name !== 'string' || !HEADER_NAME.test(name)) {
    fail(scope, `${what} '${name}' is not a valid HTTP header name`, "use letters, digits and '-' (e.g. 'X-Request-Source')");
  }
  return name;
}
