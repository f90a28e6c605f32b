import { Testing } from 'cdk8s';

describe('the synthesis pipeline', () => {
  test('an Organization loaded without the package root explains how to load the pipeline', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Organization } = require('../src/model/organization');
      const org = new Organization(Testing.app(), 'acme');
      expect(() => org.toJson()).toThrow(/\[acme\] the synthesis pipeline is not loaded\. Fix: import the library from its package root \('cdk8s-openchoreo'\)/);
    });
  });

  test('the package root installs it', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Organization } = require('../src');
      expect(new Organization(Testing.app(), 'acme').toJson()).toEqual([]);
    });
  });
});
