import * as fs from 'fs';
import * as path from 'path';
import { ComponentKind } from '../src';
import { OPENCHOREO_EXPORT_KINDS } from '../src/export/openchoreo/types';
import { COMPONENT_KINDS, kindTraits } from '../src/model/component-kind';
import { KINDS, pluralOf, resourcesWhere } from '../src/render/kinds';

const allKinds: Array<{ apiVersion: string; kind: string; emitted?: boolean; why?: string; export?: string }> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'imports', 'kinds.json'), 'utf8'));
/** Kinds of the GitOps tree; those marked `export` are written by an export outside it (their own test below). */
const kindsJson = allKinds.filter(k => k.export === undefined);
const apiVersion = (k: { group: string; version: string }) => (k.group === '' ? k.version : `${k.group}/${k.version}`);

describe('emitted-kind table (src/render/kinds.ts)', () => {
  test('its emitted kinds are exactly imports/kinds.json, the list schemas and bindings come from', () => {
    const table = KINDS.filter(k => k.emitted).map(k => `${apiVersion(k)} ${k.kind}`).sort();
    // Kinds listed for their schema only (e.g. PersistentVolumeClaim: the StatefulSet controller creates them) say so.
    expect(table).toEqual(kindsJson.filter(k => k.emitted !== false).map(k => `${k.apiVersion} ${k.kind}`).sort());
    for (const k of kindsJson.filter(x => x.emitted === false)) expect([k.kind, typeof k.why]).toEqual([k.kind, 'string']);
    const schemaOnly = kindsJson.filter(x => x.emitted === false).map(x => x.kind);
    expect(KINDS.filter(k => !k.emitted).map(k => k.kind)).toEqual(expect.arrayContaining(schemaOnly));
  });

  test('no kind appears twice, and RBAC never reads Secrets or RBAC objects through READ', () => {
    const ids = KINDS.map(k => `${k.group}/${k.kind}`);
    expect(new Set(ids).size).toBe(ids.length);
    const read = resourcesWhere(k => k.readInCells).map(([g, r]) => `${g}/${r}`);
    expect(read.filter(r => r.startsWith('rbac.authorization.k8s.io/') || r === '/secrets')).toEqual([]);
    expect(KINDS.filter(k => k.readProbe && !k.readInCells)).toEqual([]);
    expect(KINDS.filter(k => k.editable && !k.readInCells)).toEqual([]);
  });

  test('plural names for RBAC rules come from the table, and a kind missing from it is an internal error naming the file', () => {
    expect(pluralOf('networking.k8s.io', 'NetworkPolicy')).toBe('networkpolicies');
    expect(pluralOf('gateway.envoyproxy.io', 'EnvoyProxy')).toBe('envoyproxies');
    expect(() => pluralOf('example.com', 'Widget')).toThrow('kind example.com/Widget is missing from src/render/kinds.ts');
  });
});

describe('export kinds (imports/kinds.json entries marked "export")', () => {
  test('the OpenChoreo entries are exactly the openchoreo.dev kinds the OpenChoreo export writes, none of them in the GitOps tree', () => {
    const exported = allKinds.filter(k => k.export === 'openchoreo').map(k => k.kind).sort();
    expect(exported).toEqual([...OPENCHOREO_EXPORT_KINDS].filter(k => k !== 'Namespace').sort());
    expect(allKinds.filter(k => k.export !== undefined && k.export !== 'openchoreo')).toEqual([]);
    expect(KINDS.filter(k => k.group === 'openchoreo.dev')).toEqual([]);
  });
});

describe('component-kind table (src/model/component-kind.ts)', () => {
  test('every ComponentKind has a row', () => {
    expect(Object.keys(COMPONENT_KINDS).sort()).toEqual(Object.values(ComponentKind).sort());
  });

  test('the traits the layers read', () => {
    expect(kindTraits(ComponentKind.SCHEDULED_TASK)).toEqual({ workload: 'CronJob', servesEndpoints: false, scalable: false, scheduled: true, podScraped: true, ownHost: false });
    expect(kindTraits(ComponentKind.WEB_APPLICATION).ownHost).toBe(true);
    expect(kindTraits(ComponentKind.WORKER)).toMatchObject({ workload: 'Deployment', servesEndpoints: false, scalable: true });
  });
});
