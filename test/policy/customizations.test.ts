import { JsonPatch } from 'cdk8s';
import { expectPolicyProblem } from './support';
import { ITrait, Service, TraitContext, TraitNeeds, TraitRenderContext, TraitRendering } from '../../src';
import { generateName } from '../../src/resolve/naming';
import { baseline, IMAGE } from '../support/fixtures';
import { validateManifest } from '../support/schema-validator';
import { one, synth, testApp } from '../support/synth';

/*
 * The policy pack reads the objects after traits and patches have changed them: the real
 * customizations step, not a simulation, breaks the output contract here and the pack catches it.
 */

/** A careless trait: it makes the main container privileged (as a debugging or GPU trait might). */
class PrivilegedTrait implements ITrait {
  public readonly name = 'privileged-debug';
  public needs(_context: TraitContext): TraitNeeds {
    return {};
  }
  public render(_context: TraitRenderContext): TraitRendering {
    return { patches: [{ kind: 'Deployment', operations: [JsonPatch.replace('/spec/template/spec/containers/0/securityContext/privileged', true)] }] };
  }
}

function platformWithApi() {
  const b = baseline(testApp());
  const api = new Service(b.project, 'api', { image: IMAGE });
  api.addEndpoint('http', { port: 8080 });
  return { ...b, api };
}

describe('policy pack over traits and patches', () => {
  test('a patch that removes the securityContext fails the synthesis with OC-POD-SECURITY at the component', () => {
    const { org, api } = platformWithApi();
    api.addPatch('Deployment', JsonPatch.remove('/spec/template/spec/containers/0/securityContext'));
    expectPolicyProblem(() => synth(org), { path: 'acme/shop/api', value: 'OC-POD-SECURITY', fix: /securityContext/ });
  });

  test('the same patch is accepted with a suppression and a reason, which the Deployment records', () => {
    const { org, api, prod } = platformWithApi();
    api.addPatch('Deployment', JsonPatch.remove('/spec/template/spec/containers/0/securityContext'), { environment: prod });
    api.suppressPolicy('OC-POD-SECURITY', 'vendor image needs its own defaults until PLAT-42 lands', { environment: prod });
    const objects = synth(org);
    const deployment = one(objects, 'Deployment', generateName(253, 'api', 'production'));
    expect(deployment.spec.template.spec.containers[0].securityContext).toBeUndefined();
    expect(deployment.metadata.annotations['policy.openchoreo.dev/suppressed-oc-pod-security']).toBe('vendor image needs its own defaults until PLAT-42 lands');
    validateManifest(deployment);
    // the other environments keep the hardened container and carry no suppression
    const staging = one(objects, 'Deployment', generateName(253, 'api', 'staging'));
    expect(staging.spec.template.spec.containers[0].securityContext.runAsNonRoot).toBe(true);
    expect(staging.metadata.annotations?.['policy.openchoreo.dev/suppressed-oc-pod-security']).toBeUndefined();
  });

  test('a trait that makes a container privileged fails the synthesis with OC-NO-HOST-ACCESS', () => {
    const { org, api } = platformWithApi();
    api.addTrait(new PrivilegedTrait());
    expectPolicyProblem(() => synth(org), { path: 'acme/shop/api', value: 'OC-NO-HOST-ACCESS', fix: /privileged|host access/ });
  });
});
