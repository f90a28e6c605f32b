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
  const secretTarget: { name: string; creationPolicy: ExternalSecretSpecTargetCreationPolicy; template?: { type: string } } = {
    name: target, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
  };
  if (type) secretTarget.template = { type };
  return object<ExternalSecretProps>('external-secrets.io/v1', 'ExternalSecret', {
    metadata,
    spec: {
      refreshInterval: store.secretRefreshInterval,
      secretStoreRef: { name: store.secretStore, kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE },
      target: secretTarget,
      data: data.map(d => {
        // key, then property and version when set (one per secret reference of every component)
        const remoteRef: { key: string; property?: string; version?: string } = { key: d.remoteKey };
        if (d.property !== undefined) remoteRef.property = d.property;
        if (d.version !== undefined) remoteRef.version = d.version;
        return { secretKey: d.secretKey, remoteRef };
      }),
    },
  });
}
