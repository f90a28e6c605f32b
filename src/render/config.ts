import { k8s } from 'cdk8s-plus-28';
import { object } from './json';
import { componentMetadata } from './metadata';
import { ExternalSecretProps, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy } from '../imports/external-secrets.io';
import { Cell, PlanComponent, PlanSecretData } from '../resolve/plan';

/** Data-plane settings the config renderer needs. @internal */
export interface SecretStoreSettings {
  readonly secretStore: string;
  readonly refreshInterval: string;
}

/**
 * ConfigMaps for plain env vars and literal files; ExternalSecrets for secret env vars and secret
 * files. No secret value is ever rendered: only remote references. @internal
 */
export function renderConfig(cell: Cell, c: PlanComponent, store: SecretStoreSettings): any[] {
  const out: any[] = [];
  if (c.configMapName) {
    out.push(object<k8s.KubeConfigMapProps>('v1', 'ConfigMap', {
      metadata: componentMetadata(cell, c, c.configMapName),
      data: Object.fromEntries(c.configEnv.map(v => [v.name, v.value])),
    }));
  }
  if (c.secretEnvName) out.push(externalSecret(cell, c, c.secretEnvName, c.secretEnv, store));
  for (const f of c.files) {
    if (f.secret) {
      out.push(externalSecret(cell, c, f.objectName, [f.secret], store));
    } else {
      out.push(object<k8s.KubeConfigMapProps>('v1', 'ConfigMap', {
        metadata: componentMetadata(cell, c, f.objectName),
        data: { [f.fileName]: f.content ?? '' },
      }));
    }
  }
  return out;
}

function externalSecret(cell: Cell, c: PlanComponent, name: string, data: PlanSecretData[], store: SecretStoreSettings): any {
  return object<ExternalSecretProps>('external-secrets.io/v1', 'ExternalSecret', {
    metadata: componentMetadata(cell, c, name),
    spec: {
      refreshInterval: store.refreshInterval,
      secretStoreRef: { name: store.secretStore, kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE },
      target: { name, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER },
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
