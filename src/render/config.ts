import { k8s } from 'cdk8s-plus-28';
import { externalSecret, SecretStoreSettings } from './external-secret';
import { object } from './json';
import { componentMetadata } from './metadata';
import { Cell, PlanComponent } from '../resolve/plan';

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
  if (c.secretEnvName) out.push(externalSecret(componentMetadata(cell, c, c.secretEnvName), c.secretEnvName, c.secretEnv, store));
  for (const containers of [c.initContainers, c.sidecars]) {
    for (const x of containers) {
      if (x.secretEnvName) out.push(externalSecret(componentMetadata(cell, c, x.secretEnvName), x.secretEnvName, x.secretEnv, store));
    }
  }
  for (const f of c.files) {
    if (f.secret) {
      out.push(externalSecret(componentMetadata(cell, c, f.objectName), f.objectName, [f.secret], store));
    } else {
      out.push(object<k8s.KubeConfigMapProps>('v1', 'ConfigMap', {
        metadata: componentMetadata(cell, c, f.objectName),
        data: { [f.fileName]: f.content ?? '' },
      }));
    }
  }
  return out;
}
