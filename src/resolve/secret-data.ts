import type { PlanSecretData } from './plan';

/** One key of a Secret an ExternalSecret fills: `secretKey` from the secret store's `ref`. @internal */
export function secretData(secretKey: string, ref: { key: string; property?: string; version?: string }): PlanSecretData {
  return { secretKey, remoteKey: ref.key, property: ref.property, version: ref.version };
}
