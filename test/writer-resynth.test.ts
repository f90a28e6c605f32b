import * as fs from 'fs';
import * as path from 'path';
import { PlatformApp } from '../src';
import { baseline, listFiles, service, tempDir } from './support/fixtures';
import { verifyOwnedTree } from '../src/output/verify';
import { RECORD_FILE, writeOwnedTree } from '../src/output/writer';

// Re-synthesizing a whole platform: an unchanged one writes nothing; changing one component rewrites only its files.

const OLD = new Date('2020-01-01T00:00:00Z');

function platformFiles(images: Record<string, string>): Record<string, string> {
  const app = new PlatformApp({ outdir: tempDir() });
  const { project } = baseline(app);
  for (const [name, image] of Object.entries(images)) service(project, name, { image });
  return app.synthFiles();
}

/** Sets every file's mtime to OLD, so that any write shows. */
function age(dir: string): void {
  for (const f of listFiles(dir)) fs.utimesSync(path.join(dir, f), OLD, OLD);
}

const touched = (dir: string) => listFiles(dir).filter(f => fs.statSync(path.join(dir, f)).mtime.getTime() !== OLD.getTime());

describe('re-synthesizing a platform', () => {
  const images = { api: 'ghcr.io/acme/api:1.0.0', web: 'ghcr.io/acme/web:1.0.0', worker: 'ghcr.io/acme/worker:1.0.0' };
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
    writeOwnedTree(dir, platformFiles(images));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('unchanged: nothing is written, not even the record', () => {
    age(dir);
    const files = platformFiles(images);
    const result = writeOwnedTree(dir, files);
    expect(result.written).toEqual([]);
    expect(result.removed).toEqual([]);
    expect(result.unchanged).toHaveLength(Object.keys(files).length);
    expect(touched(dir)).toEqual([]);
  });

  test('one component changed: only the files that show it (its manifests, summaries naming its image) and the record are rewritten', () => {
    age(dir);
    const files = platformFiles({ ...images, web: 'ghcr.io/acme/web:1.1.0' });
    const result = writeOwnedTree(dir, files);
    const showingIt = Object.keys(files).filter(f => files[f].includes('ghcr.io/acme/web:1.1.0')).sort();
    expect(result.written).toEqual(showingIt);
    expect(result.written).toEqual(expect.arrayContaining([
      'acme/eu/development/shop/web.yaml',
      'acme/eu/production/shop/web.yaml',
      'acme/eu/staging/shop/web.yaml',
    ]));
    expect(result.written.filter(f => /\/(api|worker)\.yaml$/.test(f))).toEqual([]);
    expect(result.written.length).toBeLessThan(Object.keys(files).length / 4);
    expect(result.removed).toEqual([]);
    expect(touched(dir)).toEqual([...result.written, RECORD_FILE].sort());
    expect(verifyOwnedTree(dir).complete).toBe(true);
  });
});
