import * as fs from 'fs';
import * as path from 'path';
import { declareComponentTypes } from '../examples/platform/main';
import { ComponentType, OpenChoreoExport, OpenChoreoImport, ScheduledTask, StatefulService } from '../src';
import { tempDir } from './support/fixtures';
import { exampleExport, exampleInfrastructure, writeTree } from './support/openchoreo';
import { testApp } from './support/synth';
import { PlatformValidationError, ValidationProblem } from '../src/model/errors';

const example = exampleExport(testApp()).files;
const NS = 'namespaces/acme';
const PAYMENTS = `${NS}/projects/payments`;
const API = `${PAYMENTS}/components/payments-api`;

function problemsOf(edit: (dir: string, files: Record<string, any>) => void): ValidationProblem[] {
  const dir = tempDir('openchoreo-import-');
  try {
    const files = structuredClone(example);
    edit(dir, files);
    writeTree(dir, files);
    const { org } = exampleInfrastructure(testApp());
    try {
      OpenChoreoImport.fromDirectory(org, dir);
    } catch (e) {
      if (!(e instanceof PlatformValidationError)) throw e;
      expect(org.projects).toEqual([]); // nothing declared
      return e.problems;
    }
    throw new Error('the import succeeded');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('OpenChoreo import', () => {
  test('round trip: export the example, import it into a fresh organization, export again: byte-identical CRs', () => {
    const dir = tempDir('openchoreo-roundtrip-');
    try {
      const first = writeTree(dir, example);
      const app = testApp();
      const { org, grant } = exampleInfrastructure(app);
      const result = OpenChoreoImport.fromDirectory(org, dir);
      grant(result.projects);
      expect(result.projects.map(p => p.name)).toEqual(['payments', 'storefront']);
      expect(result.components.map(c => `${c.project.name}/${c.name}`)).toEqual([
        'payments/ledger', 'payments/payments-api', 'payments/settlement',
        'storefront/catalog', 'storefront/order-worker', 'storefront/recommendations', 'storefront/sessions', 'storefront/web',
      ]);
      expect(result.components.find(c => c.name === 'settlement')).toBeInstanceOf(ScheduledTask);
      expect(result.components.find(c => c.name === 'sessions')).toBeInstanceOf(StatefulService);
      const again = writeTree(tempDir('openchoreo-roundtrip-2-'), new OpenChoreoExport(org, 'openchoreo').manifestsByFile());
      expect(Object.keys(again)).toEqual(Object.keys(first));
      for (const file of Object.keys(first)) expect([file, again[file]]).toEqual([file, first[file]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // Each bad input: the file, the JSON path in the message, and the fix.
  const cases: Array<[string, (dir: string, files: Record<string, any>) => void, string, string, RegExp]> = [
    ['a CR of another API version', (_d, f) => { f[`${API}/workload.yaml`].apiVersion = 'openchoreo.dev/v1alpha2'; },
      `${API}/workload.yaml`, '$.apiVersion: is "openchoreo.dev/v1alpha2", not openchoreo.dev/v1alpha1', /export the CRs of OpenChoreo v1\.2/],
    ['a kind the import does not read', (_d, f) => { f[`${PAYMENTS}/resources/db-dev.yaml`] = { apiVersion: 'openchoreo.dev/v1alpha1', kind: 'ResourceReleaseBinding', metadata: { name: 'db-dev' } }; },
      `${PAYMENTS}/resources/db-dev.yaml`, '$.kind: "ResourceReleaseBinding" is not imported', /move the object out of the projects\/ folder, or remove it/],
    ['invalid YAML', (d) => { fs.mkdirSync(path.join(d, PAYMENTS), { recursive: true }); fs.writeFileSync(path.join(d, PAYMENTS, 'broken.yaml'), 'kind: [unclosed\n'); },
      `${PAYMENTS}/broken.yaml`, '$: is not valid YAML', /fix the YAML syntax/],
    ['a pipeline the organization does not declare', (_d, f) => { f[`${PAYMENTS}/project.yaml`].spec.deploymentPipelineRef.name = 'fast'; },
      `${PAYMENTS}/project.yaml`, "$.spec.deploymentPipelineRef.name: names DeploymentPipeline 'fast'", /declare new DeploymentPipeline\(org, 'fast', \.\.\.\) before the import/],
    ['a project type the model has no cell for', (_d, f) => { f[`${PAYMENTS}/project.yaml`].spec.type = { kind: 'ProjectType', name: 'custom' }; },
      `${PAYMENTS}/project.yaml`, '$.spec.type: is {"kind":"ProjectType","name":"custom"}', /use \{ kind: ClusterProjectType, name: default \| zero-trust-cell \}/],
    ['an unknown component type', (_d, f) => { f[`${API}/component.yaml`].spec.componentType = { kind: 'ClusterComponentType', name: 'deployment/custom' }; },
      `${API}/component.yaml`, "$.spec.componentType.name: 'deployment/custom' is not a component type the import maps", /use one of deployment\/zero-trust-service/],
    ['an owner project that is not imported', (_d, f) => { f[`${API}/component.yaml`].spec.owner.projectName = 'nope'; },
      `${API}/component.yaml`, "$.spec.owner.projectName: names project 'nope'", /add projects\/nope\/project\.yaml, or name an imported project/],
    ['a component without its Workload', (_d, f) => { delete f[`${API}/workload.yaml`]; },
      `${API}/component.yaml`, "$: Component 'payments-api' has no Workload", /add workload\.yaml \(kind Workload, name payments-api\) beside component\.yaml/],
    ['a secret env var naming an unknown SecretReference', (_d, f) => { f[`${API}/workload.yaml`].spec.container.env[1].valueFrom.secretKeyRef.name = 'vault'; },
      `${API}/workload.yaml`, '$.spec.container.env[1].valueFrom.secretKeyRef.name: names SecretReference "vault"', /add the SecretReference to platform\/secret-references\//],
    ['a secret key the SecretReference does not list', (_d, f) => { f[`${API}/workload.yaml`].spec.container.env[1].valueFrom.secretKeyRef.key = 'OTHER'; },
      `${API}/workload.yaml`, '$.spec.container.env[1].valueFrom.secretKeyRef.key: names key "OTHER"', /add \{ secretKey: OTHER, remoteRef/],
    ['a binding pinning a release that is not there', (_d, f) => { f[`${API}/release-bindings/payments-api-staging.yaml`].spec.releaseName = 'payments-api-00000000'; },
      `${API}/release-bindings/payments-api-staging.yaml`, "$.spec.releaseName: names ComponentRelease 'payments-api-00000000'", /add the ComponentRelease, or pin one that exists/],
    ['a binding to an undeclared environment', (_d, f) => { f[`${API}/release-bindings/payments-api-staging.yaml`].spec.environment = 'qa'; },
      `${API}/release-bindings/payments-api-staging.yaml`, "$.spec.environment: names environment 'qa'", /declare Environment 'qa' in the organization before the import/],
    ['an undeployed binding', (_d, f) => { f[`${API}/release-bindings/payments-api-staging.yaml`].spec.state = 'Undeploy'; },
      `${API}/release-bindings/payments-api-staging.yaml`, '$.spec.state: is "Undeploy"', /remove the binding: the model has no undeployed state/],
    ['a trait the import does not map', (_d, f) => { f[`${API}/component.yaml`].spec.traits[0] = { kind: 'Trait', name: 'api-configuration', instanceName: 'api' }; },
      `${API}/component.yaml`, '$.spec.traits[0].name: trait Trait "api-configuration" is not one the import maps', /remove the trait and declare the behaviour in code after the import/],
    ['an unknown component parameter', (_d, f) => { f[`${API}/component.yaml`].spec.parameters.replicasMax = 3; },
      `${API}/component.yaml`, '$.spec.parameters.replicasMax: is not supported by the import', /remove 'replicasMax', or declare it in code after the import/],
    ['a resource dependency binding other variables than dependOnResource', (_d, f) => { f[`${API}/workload.yaml`].spec.dependencies.resources[0].envBindings.port = 'DB_PORT'; },
      `${API}/workload.yaml`, '$.spec.dependencies.resources[0].envBindings: is {"database":"ORDERS_DB_DATABASE","host":"ORDERS_DB_HOST","password":"ORDERS_DB_PASSWORD","port":"DB_PORT"',
      /bind database, host, password, port, username to ORDERS_DB_DATABASE, ORDERS_DB_HOST, ORDERS_DB_PASSWORD, ORDERS_DB_PORT, ORDERS_DB_USER/],
    ['a resource dependency on a Resource that is not there', (_d, f) => { delete f[`${PAYMENTS}/resources/orders-db.yaml`]; },
      `${API}/workload.yaml`, '$.spec.dependencies.resources[0].ref: names Resource "orders-db", which project \'payments\' does not have', /add projects\/payments\/resources\/orders-db\.yaml, or remove the dependency/],
    ['a Resource of another type', (_d, f) => { f[`${PAYMENTS}/resources/orders-db.yaml`].spec.type.name = 'redis'; },
      `${PAYMENTS}/resources/orders-db.yaml`, '$.spec.type: is {"kind":"ClusterResourceType","name":"redis"}', /use \{ kind: ClusterResourceType, name: cloudnative-pg-postgres \}/],
    ['a Resource parameter the Postgres type does not have', (_d, f) => { f[`${PAYMENTS}/resources/orders-db.yaml`].spec.parameters.backup = { schedule: 'daily' }; },
      `${PAYMENTS}/resources/orders-db.yaml`, '$.spec.parameters.backup: is not supported by the import', /remove 'backup', or declare it in code after the import/],
    ['a ComponentType the organization does not declare', (_d, f) => { f[`${API}/component.yaml`].spec.componentType.name = 'deployment/batch-api'; },
      `${API}/component.yaml`, "$.spec.componentType.name: names ComponentType 'deployment/batch-api', which the organization does not declare (it declares http-api, worker)",
      /declare new ComponentType\(org, 'batch-api', \{ kind: \.\.\. \}\) before the import/],
    ['a ComponentType of another workload type', (_d, f) => { f[`${API}/component.yaml`].spec.componentType.name = 'cronjob/http-api'; },
      `${API}/component.yaml`, "$.spec.componentType.name: is 'cronjob/http-api', but ComponentType 'http-api' has kind deployment/service", /use 'deployment\/http-api'/],
    ['database-proxy parameters the trait refuses', (_d, f) => { f[`${PAYMENTS}/components/ledger/component.yaml`].spec.traits[0].parameters.port = 0; },
      `${PAYMENTS}/components/ledger/component.yaml`, '$.spec.traits[0].parameters: port 0 is not a port from 1 to 65535', /set port to a port number, e\.g\. 5432/],
    ['an unknown endpoint type', (_d, f) => { f[`${API}/workload.yaml`].spec.endpoints.http.type = 'SOAP'; },
      `${API}/workload.yaml`, '$.spec.endpoints.http.type: "SOAP" is not an endpoint type', /use one of HTTP, gRPC, GraphQL, Websocket, TCP, UDP/],
    ['two components of one name', (_d, f) => { f[`${NS}/projects/storefront/components/payments-api/component.yaml`] = structuredClone(f[`${API}/component.yaml`]); },
      `${NS}/projects/storefront/components/payments-api/component.yaml`, `$.metadata.name: Component 'payments-api' is also defined in ${API}/component.yaml`, /keep one Component named 'payments-api'/],
  ];

  test(`${cases.length} bad inputs are refused, each naming the file, the JSON path and the fix, and nothing is declared`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const [what, edit, file, message, fix] of cases) {
      const problems = problemsOf(edit);
      const problem = problems.find(p => p.path === file && p.message.includes(message));
      expect([what, problem ? 'found' : JSON.stringify(problems, null, 1)]).toEqual([what, 'found']);
      expect([what, problem!.fix]).toEqual([what, expect.stringMatching(fix)]);
    }
  });

  test('imported components get their ComponentType, its rules included: the example\'s requiredProbes refuses them (probes are not in the CRs) instead of dropping the rule', () => {
    const dir = tempDir('openchoreo-rules-');
    try {
      writeTree(dir, example);
      const app = testApp();
      let httpApi: ComponentType | undefined;
      const { org: acme } = exampleInfrastructure(app, o => ({ httpApi } = declareComponentTypes(o)));
      const result = OpenChoreoImport.fromDirectory(acme, dir);
      const ledger = result.components.find(c => c.name === 'ledger')!;
      expect(ledger.componentType).toBe(httpApi);
      expect(ledger._traits.map(t => t.name)).toEqual(['database-proxy']);
      expect(result.components.find(c => c.name === 'payments-api')!._resourceDependencies.map(d => `${d.resource.project.name}/${d.resource.name}`)).toEqual(['payments/orders-db']);
      let error: unknown;
      try {
        new OpenChoreoExport(acme, 'openchoreo').objects();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PlatformValidationError);
      const problem = (error as PlatformValidationError).problems.find(p => p.path === 'acme/payments/ledger' && p.message.includes('no readiness probe'));
      expect(problem?.message).toContain("outside component type 'http-api' (rule requiredProbes)");
      expect(problem?.fix).toMatch(/add probes: \{ readiness: Probe\./);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a directory without namespaces/ is refused naming the directory', () => {
    const dir = tempDir('openchoreo-empty-');
    try {
      const app = testApp();
      const { org } = exampleInfrastructure(app);
      expect(() => OpenChoreoImport.fromDirectory(org, dir)).toThrow(`[${dir}] $: has no namespaces/ folder. Fix: pass the root of an OpenChoreo mono-repo`);
      expect(org.projects).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
