import { IConstruct } from 'constructs';
import { fail } from './errors';

const MAX_GROUP_LENGTH = 256;

/**
 * Validates an identity-provider group name so that it means the same group in Kubernetes
 * RBAC subjects and Argo CD project roles. @internal
 */
export function checkGroupName(scope: IConstruct, group: string): string {
  const problem = groupNameProblem(group);
  if (problem) fail(scope, `group '${group}' ${problem}`, "use the group's name exactly as the identity provider puts it in the groups claim, e.g. 'payments-developers'");
  return group;
}

function groupNameProblem(group: string): string | undefined {
  if (typeof group !== 'string' || group.length === 0) return 'is empty';
  if (group.length > MAX_GROUP_LENGTH) return `is longer than ${MAX_GROUP_LENGTH} characters`;
  if (group.trim() !== group) return 'has leading or trailing whitespace, which Argo CD rejects';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(group)) return 'contains a control character';
  if (/[,"]/.test(group)) return 'contains a comma or a double quote, which Argo CD\'s policy syntax cannot carry';
  if (/^system:/i.test(group)) return "starts with 'system:', which Kubernetes reserves for its own groups (such as system:authenticated)";
  return undefined;
}

/**
 * Validates the prefix the API server's OIDC authenticator puts before group names. @internal
 */
export function checkGroupPrefix(scope: IConstruct, prefix: string): string {
  // eslint-disable-next-line no-control-regex
  if (typeof prefix !== 'string' || /[\s,"\u0000-\u001f\u007f]/.test(prefix) || /^system:/i.test(prefix) || prefix.length > 64) {
    fail(scope, `kubernetesGroupPrefix '${prefix}' is not a group prefix`,
      "use the API server's --oidc-groups-prefix (or claimMappings.groups.prefix) exactly, e.g. 'oidc:', or leave it out when there is none");
  }
  return prefix;
}
