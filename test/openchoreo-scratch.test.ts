import { buildPlatform } from '../examples/platform/main';
import { OpenChoreoExport } from '../src/export/openchoreo/export';
import { withApp } from './support/fixtures';
import { validateManifest } from './support/schema-validator';

test('scratch', () => {
  withApp(app => {
    const org = buildPlatform(app);
    const x = new OpenChoreoExport(org, 'openchoreo');
    const files = x.manifestsByFile();
    const counts: Record<string, number> = {};
    const errors: string[] = [];
    for (const [f, m] of Object.entries(files)) {
      counts[m.kind] = (counts[m.kind] ?? 0) + 1;
      const e = validateManifest(m);
      if (e.length) errors.push(`${f}: ${e.join('; ')}`);
    }
    console.log(Object.keys(files).join('\n'), counts, errors.join('\n'));
    console.log(x.notExpressible().map(i => `${i.path} | ${i.feature}`).join('\n'));
    const all = app.synthFiles();
    require('fs').writeFileSync('/tmp/ocx/files.json', JSON.stringify(all, null, 1));
  });
});
