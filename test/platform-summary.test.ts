import * as fs from 'fs';
import * as path from 'path';
import { Service } from '../src';
import { baseline, tempDir } from './support/fixtures';
import { testApp } from './support/synth';
import { PLATFORM_SUMMARY_FORMAT, readPlatformSummary } from '../src/render/platform-summary';
import { synthesizeOrganization } from '../src/synth';

function written(content: string): string {
  const file = path.join(tempDir('platform-summary'), 'platform.json');
  fs.writeFileSync(file, content);
  return file;
}

describe('platform.json', () => {
  test('what the writer emits, the reader returns typed, with the format checked', () => {
    const b = baseline(testApp());
    new Service(b.project, 'api', { image: 'r.example/api:1.0.0' });
    const doc = synthesizeOrganization(b.org).documents.find(d => d.file === 'platform.json')!;
    const summary = readPlatformSummary(written(doc.content));
    expect(summary.format).toBe(PLATFORM_SUMMARY_FORMAT);
    expect(summary.organization).toBe('acme');
    expect(Object.keys(summary.environments).sort()).toEqual(['development', 'production', 'staging']);
    expect(summary.environments.production).toMatchObject({ dataPlane: 'eu', isProduction: true });
    expect(summary.environments.production.projects.shop).toMatchObject({ promotedFrom: ['staging'], requiresApproval: true });
    expect(summary.environments.staging.projects.shop.components.api.image).toBe('r.example/api:1.0.0');
    expect(summary.builds).toBeUndefined();
  });

  test('another format is refused with the fix', () => {
    const file = written(JSON.stringify({ format: 2, organization: 'acme', environments: {} }));
    expect(() => readPlatformSummary(file)).toThrow(`${file} has format 2, but this version of cdk8s-openchoreo reads format 1. Fix: synthesize the app with the same version`);
  });

  test('a file that is no summary, or no JSON, is refused', () => {
    expect(() => readPlatformSummary(written('{"kind":"Deployment"}'))).toThrow(/is not a platform summary .*Fix: point the tool at the output of a PlatformApp/);
    expect(() => readPlatformSummary(written('{'))).toThrow(/is not readable JSON .*Fix: synthesize the app again/);
  });
});
