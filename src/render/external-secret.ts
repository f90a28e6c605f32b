import { object } from './json';
import { ExternalSecretProps, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy } from '../imports/external-secrets.io';
import { PlanSecretData } from '../resolve/plan';

/** Where a data plane's ExternalSecrets read from. @internal */
export interface SecretStoreSettings {
  readonly secretStore: string;
  readonly secretRefreshInterval: string;
}

/**
 * An ExternalSecret that makes the External Secrets Operator write Secret `target` from remote
 * keys of the data plane's ClusterSecretStore. Only references are rendered, never values. @internal
 */
export function externalSecret(
  metadata: { name: string; namespace: string; labels: Record<string, string> }, target: string, data: PlanSecretData[],
  store: SecretStoreSettings, type?: string,
): any {
  return object<ExternalSecretProps>('external-secrets.io/v1', 'ExternalSecret', {
    metadata,
    spec: {
      refreshInterval: store.secretRefreshInterval,
      secretStoreRef: { name: store.secretStore, kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE },
      target: { name: target, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER, ...(type ? { template: { type } } : {}) },
      data: data.map(d => ({
        secretKey: d.secretKey,
        remoteRef: {
          key: d.remoteKey,
          ...(d.property !== undefined ? { property: d.property } : {}),
          ...(d.version !== undefined ? { version: d.version } : {}),
        },
      })),
    },
  });
}
