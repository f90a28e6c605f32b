import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { Testing } from 'cdk8s';
import { PlatformApp } from 'cdk8s-openchoreo';
import { buildPlatform } from './platform';

test('web runs in production and reaches the api', () => {
  const objects = Testing.synth(buildPlatform(new PlatformApp()));
  const web = objects.find(o => o.kind === 'Deployment' && o.metadata.labels['openchoreo.dev/component'] === 'web'
    && o.metadata.labels['openchoreo.dev/environment'] === 'production');
  assert.match(web.metadata.name, /^web-production-[0-9a-f]{8}$/);
  const env = web.spec.template.spec.containers[0].env;
  assert.ok(env.some((e: { name: string }) => e.name === 'API_HTTP_URL'));
});
