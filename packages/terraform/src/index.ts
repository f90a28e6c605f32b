// cdk8s-openchoreo-terraform: a synthesized cdk8s-openchoreo platform as CDKTF stacks of kubernetes_manifest resources.
export { escapeTemplates, escapeTemplateString, unescapeTemplates, unescapeTemplateString } from './escape';
export { type KubernetesManifestStackProps, KubernetesManifestStack, type KubernetesProviderSettings } from './manifest-stack';
export { type KubernetesObject, resourceIdOf } from './object-ids';
export { PlatformStack, type PlatformStackProps, type TerraformExportOptions, toTerraform } from './platform-stack';
export { Tier, tierOf } from './tiers';
