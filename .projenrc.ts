import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-openchoreo',
  description: 'Model an internal developer platform in OpenChoreo\'s vocabulary and synthesize zero-trust, schema-valid Kubernetes GitOps trees.',
  author: 'cdk8s-openchoreo maintainers',
  authorAddress: 'maintainers@cdk8s-openchoreo.invalid',
  repositoryUrl: 'https://example.invalid/cdk8s-openchoreo.git',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.4.2',
  jsiiVersion: '~6.0.0',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  devDeps: ['ajv@^8', 'ajv-formats@^3', 're2js@^1', 'yaml@^2', 'cdk8s-cli@2.207.60', 'ts-node'],
  github: false,
  release: false,
  depsUpgrade: false,
  jestOptions: { updateSnapshot: javascript.UpdateSnapshot.NEVER },
  typecheckTests: true,
  keywords: ['cdk8s', 'openchoreo', 'kubernetes', 'platform-engineering', 'gitops', 'cilium', 'envoy-gateway'],
});

project.synth();
