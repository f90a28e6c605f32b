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
  devDeps: ['ajv@^8', 'ajv-formats@^3', 're2js@^1', 'yaml@^2', 'cdk8s-cli@2.207.60', 'ts-node', 'fast-check@^4', '@bufbuild/cel@^0.6.1', 'mermaid@^11', 'jsdom@^29'],
  github: false,
  release: false,
  depsUpgrade: false,
  jestOptions: { updateSnapshot: javascript.UpdateSnapshot.NEVER },
  typecheckTests: true,
  // Packages (jsii outdir, the npm tarball in dist-pkg/js/) stay out of dist/, which `npm run synth` rewrites.
  artifactsDirectory: 'dist-pkg',
  keywords: ['cdk8s', 'openchoreo', 'kubernetes', 'platform-engineering', 'gitops', 'cilium', 'envoy-gateway'],
});

// Generated bindings (src/imports) and test schemas (test/schemas) come from ../shared; keep lint off them.
project.eslint?.addIgnorePattern('src/imports/');

project.addTask('import', {
  description: 'Regenerate src/imports (cdk8s import of the CRDs we emit) and test/schemas from ../shared (needs ../shared)',
  exec: 'node imports/generate.js',
  receiveArgs: true,
});

project.addTask('synth', {
  description: 'Synthesize the example platform (examples/platform) into dist/',
  exec: 'cdk8s synth --no-check-upgrade',
  env: { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
});

project.addTask('bench', {
  description: 'Scale benchmark: PlatformApp synth vs raw cdk8s-plus-28 at 100/1,000/3,000 components × 3 environments (fresh process per measurement)',
  env: { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
  steps: [
    { exec: 'tsc -p bench/tsconfig.json' },
    { exec: 'node bench/.build/bench/run.js', receiveArgs: true },
  ],
});
project.addBins({ 'cdk8s-openchoreo': 'lib/cli/main.js' });
project.addTask('promote', {
  description: 'Promote releases of the example platform along its pipeline (updates examples/platform/releases.json)',
  exec: 'ts-node --transpile-only src/cli/main.ts promote --ledger examples/platform/releases.json',
  receiveArgs: true,
});
// dist/ is the example's synth output; dist-pkg/ the packages. jsii-pacmak wants its outdir in .npmignore as written here.
project.gitignore.addPatterns('/bench/.build/', '/dist/', '/dist-pkg/');
project.npmignore?.addPatterns('dist-pkg', '/scripts/', '/test-consumer/');
project.npmignore?.addPatterns('/examples/', '/bench/', '/imports/', '/cdk8s.yaml', '/.ci/');

project.synth();
