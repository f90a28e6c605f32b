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
  // The Score importer parses YAML 1.2 at run time (cdk8s' Yaml.load reads YAML 1.1, where Score's `image: .` is NaN).
  bundledDeps: ['yaml@^2'],
  devDeps: ['ajv@^8', 'ajv-formats@^3', 're2js@^1', 'cdk8s-cli@2.207.60', 'ts-node', 'tsx@^4', 'js-yaml@^4', 'fast-check@^4', '@bufbuild/cel@^0.6.1', 'mermaid@^11', 'jsdom@^29', '@backstage/catalog-model@1.10.3', 'esbuild@~0.28.0'],
  github: false,
  release: false,
  depsUpgrade: false,
  // Coverage off for `npm test` (it cost ~2× CPU: 138 s vs 60 s for the whole jest run); `npm run test:coverage` has it.
  // Two workers or more (jest's default is one fewer than the cores: in band on 2 cores): see scripts/test.sh.
  jestOptions: { updateSnapshot: javascript.UpdateSnapshot.NEVER, jestConfig: { collectCoverage: false, maxWorkers: '100%', testEnvironment: '<rootDir>/test/support/jest-environment.js' } },
  typecheckTests: true,
  // Packages (jsii outdir, the npm tarball in dist-pkg/js/) stay out of dist/, which `npm run synth` rewrites.
  artifactsDirectory: 'dist-pkg',
  keywords: ['cdk8s', 'openchoreo', 'kubernetes', 'platform-engineering', 'gitops', 'cilium', 'envoy-gateway'],
});

// Generated bindings (src/imports) and test schemas (test/schemas) come from ../shared; keep lint off them.
project.eslint?.addIgnorePattern('src/imports/');
// The import/ rules resolve modules: node_modules' .d.ts files (cdktf's provider alone is thousands) and
// src/imports can never close a cycle in our code, and no enabled import/ rule needs their export maps.
project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/ignore', ['/node_modules/', '/src/imports/']);

// Layer order (docs/architecture in CONTRIBUTING.md): model < resolve < render < report < policy < output
// (layout, yaml, writer) < synth < output/platform-app < cli. A layer never imports a later one,
// and no value-import cycle exists (type-only imports are exempt): test/import-cycles.test.ts checks that,
// in about 2 s; eslint's import/no-cycle parsed every module again for its export maps, ~40 % of the lint's CPU.
const later = (...dirs: string[]) => dirs.map(d => `./src/${d}`);
project.eslint?.addRules({
  'import/no-cycle': 'off',
  'import/no-restricted-paths': ['error', {
    zones: [
      { target: './src/model', from: later('resolve', 'render', 'report', 'policy', 'export', 'import', 'output', 'cli', 'synth.ts'), message: 'src/model may not import later layers (the pipeline lives in src/synth.ts)' },
      { target: './src/resolve', from: later('render', 'report', 'policy', 'export', 'import', 'output', 'cli', 'synth.ts'), message: 'src/resolve builds the plan; it may import only src/model' },
      { target: './src/render', from: later('report', 'policy', 'export', 'import', 'output', 'cli', 'synth.ts'), message: 'src/render reads the plan; it may import only src/model and src/resolve' },
      { target: './src/report', from: later('policy', 'export', 'import', 'output', 'cli', 'synth.ts'), message: 'src/report reads rendered objects; it may not import src/policy, src/export, src/output, src/cli or src/synth.ts' },
      { target: './src/policy', from: later('export', 'import', 'output', 'cli', 'synth.ts'), message: 'src/policy runs the policy pack over the plan and the rendered objects; it may import src/model, src/resolve, src/render and src/report' },
      // Exports (Backstage catalog, OpenChoreo CRs) read the model, the plan and the rendered objects; src/synth.ts and src/output call them.
      { target: './src/export', from: later('report', 'policy', 'import', 'output', 'cli', 'synth.ts'), message: 'src/export may import only src/model, src/resolve and src/render' },
      // Importers (Score files, OpenChoreo CRs) declare model constructs from files: they see only src/model.
      { target: './src/import', from: later('resolve', 'render', 'report', 'policy', 'export', 'output', 'cli', 'synth.ts'), message: 'src/import declares model constructs; it may import only src/model' },
      { target: './src/output', from: later('cli'), message: 'src/output may not import src/cli' },
      { target: ['./src/output/layout.ts', './src/output/yaml.ts', './src/output/writer.ts'], from: later('synth.ts'), message: 'only src/output/platform-app.ts may import src/synth.ts' },
    ],
  }],
});

project.addTask('test:coverage', {
  description: 'Run the tests with coverage (v8) into coverage/',
  exec: 'jest --passWithNoTests --ci --coverage',
  receiveArgs: true,
});

project.addTask('import', {
  description: 'Regenerate src/imports (cdk8s import of the CRDs we emit) and test/schemas from ../shared (needs ../shared)',
  exec: 'node imports/generate.js',
  receiveArgs: true,
});

// The example app runs transpile-only (tsx): type-checking belongs to `npm test`. `npm run synth` runs the
// app directly, as the README's fast path for users' apps does: the cdk8s CLI's own start-up is ~1.7 s, and
// it empties dist/ first, which defeats the re-synth cache. `npx cdk8s synth` (cdk8s.yaml) gives the same tree.
const synthTask = project.addTask('synth', {
  description: 'Synthesize the example platform (examples/platform) into dist/',
  exec: 'node --require tsx/cjs examples/platform/main.ts',
  env: { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
});
// `npm run synth` runs the command itself rather than through `projen synth`, whose start-up alone
// costs ~0.6 s of the 2 s budget (the projen task stays for `npx projen synth`).
project.setScript('synth', `JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 ${synthTask.steps[0].exec}`);

project.addTask('bench', {
  description: 'Scale benchmark: PlatformApp synth (phases, js-yaml ratio, re-synth, tree hashes) vs raw cdk8s-plus-28 at 100/1,000/3,000 components × 3 environments (--large adds 10,000; fresh process per measurement)',
  env: { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' },
  steps: [
    { exec: 'tsc -p bench/tsconfig.json' },
    { exec: 'node bench/.build/bench/run.js', receiveArgs: true },
  ],
});
project.addTask('bench:openchoreo', {
  description: 'OpenChoreo export benchmark: the bench platform at 1,000 components × 3 environments exported as OpenChoreo CRs (--components N)',
  steps: [
    { exec: 'tsc -p bench/tsconfig.json' },
    { exec: 'node bench/.build/bench/openchoreo.js', receiveArgs: true },
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

// packages/terraform (cdk8s-openchoreo-terraform): the Terraform export, a plain TypeScript npm workspace.
// It cannot live in this jsii package (jsii records peer dependencies as hard ones, and
// @cdktf/provider-kubernetes installs 145 MB). The root `npm ci` installs it; the root jest run, the
// type-check and eslint cover it; its imports of 'cdk8s-openchoreo' map to src/ (no compile needed).
const terraformPackage = 'packages/terraform';
project.package.addField('workspaces', [terraformPackage]);
project.jest?.addTestMatch(`<rootDir>/${terraformPackage}/test/**/*.test.ts`);
project.jest?.addModuleNameMappers({ '^cdk8s-openchoreo$': '<rootDir>/src/index.ts', '^cdk8s-openchoreo/lib/(.*)$': '<rootDir>/src/$1' });
project.jest?.addIgnorePattern(`/${terraformPackage}/lib/`);
project.eslint?.addLintPattern(`${terraformPackage}/src`);
project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/resolver.typescript.project', ['./tsconfig.json', `./${terraformPackage}/tsconfig.json`]);
project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/resolver.typescript.noWarnOnMultipleProjects', true);
project.eslint?.addOverride({
  files: [`${terraformPackage}/**/*.ts`],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: ['**/test/**', '**/bench/**'], packageDir: ['.', `./${terraformPackage}`] }] },
});
project.eslint?.addLintPattern(`${terraformPackage}/test`);
project.addTask('bench:terraform', {
  description: 'Terraform export benchmark: PlatformStack construct + cdktf synth at 1,000 components × 3 environments (CPU and wall per phase)',
  env: { JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', TSX_TSCONFIG_PATH: `${terraformPackage}/tsconfig.json` },
  exec: `node --require tsx/cjs ${terraformPackage}/bench/run.ts`,
  receiveArgs: true,
});
project.gitignore.addPatterns(`/${terraformPackage}/lib/`, `/${terraformPackage}/cdktf.out/`);
project.npmignore?.addPatterns('/packages/');

// `npm test`: jest, with beside it the type-checks (the test suite, packages/terraform) and eslint, instead of
// projen's steps one after the other (scripts/test.sh says why). Arguments go to jest.
// jest transpiles TypeScript with esbuild (test/support/jest-transform.js says why; files calling jest.mock go
// to ts-jest for its hoisting). esbuild is tsx's, pinned to tsx's range so one copy is installed.
project.tryFindObjectFile('package.json')?.addOverride('jest.transform', { '^.+\\.[t]sx?$': '<rootDir>/test/support/jest-transform.js' });
project.testTask.reset();
project.testTask.exec('bash scripts/test.sh', { name: 'jest, and beside it tsc (tests, packages/terraform) and eslint', receiveArgs: true });

project.synth();
