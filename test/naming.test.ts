import { fnv1a32, generateName, NameLimit, sanitizeNamePart, stableUid } from '../src/resolve/naming';

describe('OpenChoreo naming (reference §5.1)', () => {
  test('cell namespace vectors', () => {
    expect(generateName(NameLimit.LABEL, 'dp', 'default', 'default', 'development')).toBe('dp-default-default-development-f8e58905');
    expect(generateName(NameLimit.LABEL, 'dp', 'default', 'url-shortener', 'development')).toBe('dp-default-url-shortener-development-a16f373a');
  });

  test('workload name vector', () => {
    expect(generateName(NameLimit.SUBDOMAIN, 'greeter-service', 'development')).toBe('greeter-service-development-a9f97fde');
  });

  test('config and secret object names', () => {
    expect(generateName(NameLimit.SUBDOMAIN, 'greeter-service-development', 'env-configs')).toBe('greeter-service-development-env-configs-05db1bbb');
    // the env-secret name carries the FNV-1a hash of the secret env vars as an extra part
    const fnv = fnv1a32('GITHUB_TOKEN\0github-pat\0\0\0');
    expect(fnv).toBe('199c3911');
    expect(generateName(NameLimit.SUBDOMAIN, 'greeter-service-development', 'env-secrets', fnv)).toBe('greeter-service-development-env-secrets-199c3911-89185774');
  });

  test('long parts are truncated evenly and the hash is over the original parts', () => {
    const long = 'a'.repeat(80);
    const name = generateName(NameLimit.LABEL, 'dp', long, 'project', 'production');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^dp-a+-project-production-[0-9a-f]{8}$/);
    expect(generateName(NameLimit.LABEL, 'dp', long + 'x', 'project', 'production')).not.toBe(name);
  });

  test('cronjob names fit 52 characters', () => {
    const name = generateName(NameLimit.CRONJOB, 'a-very-long-scheduled-task-component-name', 'production-eu');
    expect(name.length).toBeLessThanOrEqual(52);
    expect(name).toMatch(/-[0-9a-f]{8}$/);
  });

  test('sanitize lowercases and replaces invalid characters', () => {
    expect(sanitizeNamePart('My_Service.')).toBe('my-service');
    expect(sanitizeNamePart('--x--')).toBe('x');
  });

  test('fnv1a32 matches the published test vectors', () => {
    expect(fnv1a32('')).toBe('811c9dc5');
    expect(fnv1a32('a')).toBe('e40c292c');
    expect(fnv1a32('foobar')).toBe('bf9cf968');
  });

  test('stable uids are deterministic, distinct and UUID-shaped', () => {
    const a = stableUid('Component', 'acme', 'shop', 'api');
    expect(a).toBe(stableUid('Component', 'acme', 'shop', 'api'));
    expect(a).not.toBe(stableUid('Component', 'acme', 'shop', 'web'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
