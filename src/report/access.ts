/**
 * An independent access evaluator: from emitted manifests alone (rbac.authorization.k8s.io/v1
 * ClusterRoles, Roles, RoleBindings and ClusterRoleBindings, and Argo CD AppProjects), it answers
 * "may this identity do this request" for Kubernetes and Argo CD, and computes who can do what in
 * which cell. It deliberately shares no logic with the model, resolver or renderers, so tests can
 * compare its answer with the declared grants; it reads only the kind table (src/render/kinds.ts,
 * data: which kinds READ is probed on).
 *
 * Semantics implemented (anything it cannot judge exactly makes it throw, never guess):
 *
 * - Kubernetes RBAC: a request (verb, API group, resource[/subresource], namespace, name) is
 *   allowed iff a rule of a role bound to the identity matches it. ClusterRoleBindings apply in
 *   every namespace and to cluster-scoped requests; RoleBindings only in their namespace, to a
 *   Role of that namespace or a ClusterRole. A binding to a role that does not exist grants
 *   nothing. A rule matches when its `apiGroups` and `verbs` contain the request's (or `*`), its
 *   `resources` contain the request's resource (or `*`, or a star before the request's
 *   `/<subresource>`), and its
 *   `resourceNames` are empty or contain the request's name (a request without a name, such as a
 *   collection list or a create, is then not matched). Aggregated ClusterRoles take the rules of
 *   every ClusterRole their selectors match.
 * - Identities: a member of group G is `{ groups: [prefix + G, system:authenticated] }`; a service
 *   account is user `system:serviceaccount:<ns>:<name>` in groups `system:serviceaccounts`,
 *   `system:serviceaccounts:<ns>` and `system:authenticated`.
 * - Creating a RoleBinding needs `create` on rolebindings and, for its role, either `bind` on it
 *   or every permission it grants (wildcards covered only by wildcards).
 * - Argo CD project roles: a member of group G holds the policies of every AppProject role whose
 *   `groups` list G. Policies are `p, proj:<project>:<role>, <resource>, <action>, <object>,
 *   allow|deny`, matched with globs (`*` any sequence, `?` one character, no separators); a
 *   matching deny wins. The policy checks Argo CD itself performs on project roles (subject,
 *   project-scoped resource, object inside the project, role and group names) are enforced: a
 *   project that breaks them makes the evaluator throw. Global policies (argocd-rbac-cm) are not
 *   in the output and not evaluated.
 *
 * Unsupported (throws): nonResourceURLs-only reasoning, aggregation selectors with operators other
 * than In, NotIn, Exists and DoesNotExist, glob classes (`[...]`, `{...}`) in Argo CD policies,
 * unknown RBAC API versions.
 *
 * @module
 */

import { selects } from './label-selector';

/** A Kubernetes API request. @internal */
export interface KubernetesRequest {
  readonly verb: string;
  /** '' for the core group. */
  readonly apiGroup: string;
  /** Resource, or `resource/subresource`. */
  readonly resource: string;
  /** Absent for cluster-scoped requests. */
  readonly namespace?: string;
  /** Absent for requests that do not name one object (list, watch, create). */
  readonly name?: string;
}

/** Who makes a Kubernetes request. @internal */
export interface KubernetesIdentity {
  readonly user?: string;
  readonly groups: readonly string[];
}

/** A request to Argo CD. @internal */
export interface ArgoCdRequest {
  readonly resource: string;
  readonly action: string;
  /** `<appproject>/<application>`. */
  readonly object: string;
}

interface Rule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  readonly resourceNames: string[];
}

/** A role's rules, prepared: exact `group\nresource\nverb` keys of plain rules, and the rest. */
interface CompiledRole {
  readonly exact: Set<string>;
  readonly other: Rule[];
}

interface Binding {
  readonly source: string;
  /** undefined: cluster-wide (ClusterRoleBinding). */
  readonly namespace?: string;
  readonly roleKind: 'Role' | 'ClusterRole';
  readonly roleName: string;
  readonly subjects: Array<{ kind: string; name: string; namespace?: string }>;
  /** Its role, compiled on first use (null: the role does not exist). */
  compiled?: CompiledRole | null;
}

interface ArgoPolicy {
  readonly resource: RegExp;
  readonly action: RegExp;
  readonly object: RegExp;
  readonly allow: boolean;
}

const RBAC_API = 'rbac.authorization.k8s.io/v1';
const ARGO_PROJECT_SCOPED = new Set(['applications', 'applicationsets', 'logs', 'exec', 'clusters', 'repositories']);
const ARGO_ROLE_NAME = /^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/** A binding as reports show it. @internal */
export interface BindingSummary {
  readonly source: string;
  /** Its namespace; undefined for a ClusterRoleBinding. */
  readonly namespace?: string;
  /** `ClusterRole <name>` or `Role <name>`. */
  readonly role: string;
  readonly subjects: ReadonlyArray<{ readonly kind: string; readonly name: string; readonly namespace?: string }>;
}

const RBAC_KINDS: ReadonlySet<unknown> = new Set(['ClusterRole', 'Role', 'RoleBinding', 'ClusterRoleBinding']);

/** The kinds {@link AccessEvaluator} reads: RBAC objects and Argo CD AppProjects. */
const READ_KINDS: ReadonlySet<unknown> = new Set([...RBAC_KINDS, 'AppProject']);

/** Whether an {@link AccessEvaluator} reads `manifest` (callers may leave out the others: it ignores them). @internal */
export function accessReads(manifest: any): boolean {
  return READ_KINDS.has(manifest?.kind);
}

/** Reads RBAC objects and AppProjects and answers access questions about them. @internal */
export class AccessEvaluator {
  private readonly clusterRoles = new Map<string, Rule[]>();
  private readonly roles = new Map<string, Rule[]>();
  /** Bindings by namespace ('' for cluster-wide), built on first use. */
  private byNamespace?: Map<string, Binding[]>;
  /** Compiled roles by `ClusterRole/<name>` or `Role/<namespace>/<name>`. */
  private readonly compiled = new Map<string, CompiledRole | undefined>();
  private readonly bindings: Binding[] = [];
  /**
   * Bindings by subject key (`Group:<name>`, `User:<name>`) and namespace ('' for cluster-wide), so
   * that a request looks only at the bindings of its identity that apply where it is made.
   */
  private readonly bySubject = new Map<string, Map<string, Binding[]>>();
  /** Argo CD policies by group, then by AppProject (policy objects always start with their project). */
  private readonly argoPolicies = new Map<string, Map<string, ArgoPolicy[]>>();

  constructor(manifests: readonly any[]) {
    const aggregated: any[] = [];
    for (const m of manifests) {
      const kind = m?.kind;
      if (RBAC_KINDS.has(kind)) {
        if (m.apiVersion !== RBAC_API) throw new Error(`${kind} ${m.metadata?.name}: unsupported apiVersion ${m.apiVersion}`);
      }
      if (kind === 'ClusterRole') {
        if (m.aggregationRule) aggregated.push(m);
        else this.clusterRoles.set(m.metadata.name, rulesOf(m));
      } else if (kind === 'Role') {
        this.roles.set(`${m.metadata.namespace}/${m.metadata.name}`, rulesOf(m));
      } else if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
        const ref = m.roleRef ?? {};
        if (ref.apiGroup !== 'rbac.authorization.k8s.io' || (ref.kind !== 'Role' && ref.kind !== 'ClusterRole')) {
          throw new Error(`${kind} ${m.metadata.name}: roleRef ${JSON.stringify(ref)} is not an RBAC role`);
        }
        if (kind === 'ClusterRoleBinding' && ref.kind === 'Role') throw new Error(`ClusterRoleBinding ${m.metadata.name} refers to a Role`);
        this.bindings.push({
          source: `${kind} ${m.metadata.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata.name}`,
          namespace: kind === 'RoleBinding' ? m.metadata.namespace : undefined,
          roleKind: ref.kind,
          roleName: ref.name,
          subjects: (m.subjects ?? []).map((s: any) => ({ kind: s.kind, name: s.name, namespace: s.namespace })),
        });
      } else if (kind === 'AppProject') {
        this.readAppProject(m);
      }
    }
    for (const b of this.bindings) {
      for (const key of new Set(b.subjects.map(s => subjectKey(s, b.namespace)))) {
        const byNamespace = this.bySubject.get(key) ?? new Map<string, Binding[]>();
        const list = byNamespace.get(b.namespace ?? '') ?? [];
        list.push(b);
        byNamespace.set(b.namespace ?? '', list);
        this.bySubject.set(key, byNamespace);
      }
    }
    for (const m of aggregated) {
      const rules: Rule[] = [];
      for (const other of manifests.filter(o => o?.kind === 'ClusterRole' && !o.aggregationRule)) {
        const selectors: any[] = m.aggregationRule.clusterRoleSelectors ?? [];
        if (selectors.some(sel => selects(sel, other.metadata.labels ?? {}, { evaluator: 'access', where: `ClusterRole ${m.metadata.name}`, path: 'aggregationRule.clusterRoleSelectors' }))) {
          rules.push(...rulesOf(other));
        }
      }
      this.clusterRoles.set(m.metadata.name, [...rulesOf(m), ...rules]);
    }
  }

  /** Whether Kubernetes RBAC allows the request. @internal */
  public kubernetesAllows(identity: KubernetesIdentity, request: KubernetesRequest): boolean {
    return this.kubernetesAllowsKeyed(identity, request, kubernetesRequestKey(request));
  }

  /**
   * `kubernetesAllows` with the request's {@link kubernetesRequestKey} given (a caller asking the
   * same request for many identities and namespaces builds it once). @internal
   */
  public kubernetesAllowsKeyed(identity: KubernetesIdentity, request: KubernetesRequest, key: string): boolean {
    for (const g of identity.groups) if (this.subjectAllows(`Group:${g}`, request, key)) return true;
    return identity.user !== undefined && this.subjectAllows(`User:${identity.user}`, request, key);
  }

  /** Whether any binding of the identity applies in the namespace (a cheap filter before asking). @internal */
  public hasBindingsIn(identity: KubernetesIdentity, namespace: string): boolean {
    const scope = this.bindingScope(identity);
    return scope.everywhere || scope.namespaces.has(namespace);
  }

  /**
   * Where the identity's bindings apply: everywhere (a ClusterRoleBinding), and the namespaces of
   * its RoleBindings. Asked once per identity, it answers `hasBindingsIn` for every namespace
   * without building the subject keys again. @internal
   */
  public bindingScope(identity: KubernetesIdentity): { readonly everywhere: boolean; readonly namespaces: ReadonlySet<string> } {
    let everywhere = false;
    const namespaces = new Set<string>();
    const keys = [...identity.groups.map(g => `Group:${g}`), ...(identity.user !== undefined ? [`User:${identity.user}`] : [])];
    for (const k of keys) {
      for (const [namespace, list] of this.bySubject.get(k) ?? []) {
        if (list.length === 0) continue;
        if (namespace === '') everywhere = true;
        else namespaces.add(namespace);
      }
    }
    return { everywhere, namespaces };
  }

  /** The projects the group's Argo CD policies name (those `hasArgoCdPolicies` answers yes for). @internal */
  public argoCdProjects(group: string): Iterable<string> {
    return this.argoPolicies.get(group)?.keys() ?? [];
  }

  /** Whether any Argo CD policy of the groups names the project (a cheap filter before asking). @internal */
  public hasArgoCdPolicies(groups: readonly string[], project: string): boolean {
    return groups.some(g => this.argoPolicies.get(g)?.has(project));
  }

  private subjectAllows(subject: string, request: KubernetesRequest, key: string): boolean {
    const byNamespace = this.bySubject.get(subject);
    if (!byNamespace) return false;
    return this.bindingsAllow(byNamespace.get(''), request, key)
      || (request.namespace !== undefined && this.bindingsAllow(byNamespace.get(request.namespace), request, key));
  }

  private bindingsAllow(bindings: Binding[] | undefined, request: KubernetesRequest, key: string): boolean {
    if (!bindings) return false;
    for (const b of bindings) {
      if (b.compiled === undefined) b.compiled = this.compiledRole(b) ?? null;
      const role = b.compiled;
      if (role && (role.exact.has(key) || (role.other.length > 0 && role.other.some(r => ruleMatches(r, request))))) return true;
    }
    return false;
  }

  private compiledRole(b: Binding): CompiledRole | undefined {
    const id = b.roleKind === 'ClusterRole' ? `ClusterRole/${b.roleName}` : `Role/${b.namespace}/${b.roleName}`;
    if (this.compiled.has(id)) return this.compiled.get(id);
    const rules = b.roleKind === 'ClusterRole' ? this.clusterRoles.get(b.roleName) : this.roles.get(`${b.namespace}/${b.roleName}`);
    let role: CompiledRole | undefined;
    if (rules) {
      const exact = new Set<string>();
      const other: Rule[] = [];
      for (const r of rules) {
        const plain = r.resourceNames.length === 0 && ![...r.apiGroups, ...r.resources, ...r.verbs].some(x => x.includes('*'));
        if (!plain) {
          other.push(r);
          continue;
        }
        for (const g of r.apiGroups) {
          for (const res of r.resources) for (const v of r.verbs) exact.add(kubernetesRequestKey({ apiGroup: g, resource: res, verb: v }));
        }
      }
      role = { exact, other };
    }
    this.compiled.set(id, role);
    return role;
  }

  /**
   * Whether Kubernetes lets the identity create this RoleBinding: `create` on rolebindings in its
   * namespace, and `bind` on its role or every permission of the role. @internal
   */
  public mayCreateRoleBinding(identity: KubernetesIdentity, binding: any): boolean {
    const namespace = binding.metadata.namespace;
    if (!this.kubernetesAllows(identity, { verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace })) return false;
    const ref = binding.roleRef;
    const roleResource = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
    if (this.kubernetesAllows(identity, { verb: 'bind', apiGroup: 'rbac.authorization.k8s.io', resource: roleResource, namespace, name: ref.name })) return true;
    const rules = ref.kind === 'ClusterRole' ? this.clusterRoles.get(ref.name) : this.roles.get(`${namespace}/${ref.name}`);
    if (!rules) return false;
    return rules.every(r => r.apiGroups.every(g => r.resources.every(res => r.verbs.every(v =>
      (r.resourceNames.length === 0 ? [undefined] : r.resourceNames).every(name =>
        this.kubernetesAllows(identity, { verb: v, apiGroup: g, resource: res, namespace, name }))))));
  }

  /** Whether an Argo CD user in these groups may do the request through project roles. @internal */
  public argoCdAllows(groups: readonly string[], request: ArgoCdRequest): boolean {
    const project = request.object.slice(0, request.object.indexOf('/'));
    let allowed = false;
    for (const group of groups) {
      for (const p of this.argoPolicies.get(group)?.get(project) ?? []) {
        if (!p.resource.test(request.resource) || !p.action.test(request.action) || !p.object.test(request.object)) continue;
        if (!p.allow) return false;
        allowed = true;
      }
    }
    return allowed;
  }

  /** Every subject named by a binding: groups, users and service accounts (`<ns>/<name>`), sorted. @internal */
  public kubernetesSubjects(): { groups: string[]; users: string[]; serviceAccounts: string[] } {
    const groups = new Set<string>();
    const users = new Set<string>();
    const serviceAccounts = new Set<string>();
    for (const b of this.bindings) {
      for (const s of b.subjects) {
        if (s.kind === 'Group') groups.add(s.name);
        else if (s.kind === 'User') users.add(s.name);
        else if (s.kind === 'ServiceAccount') serviceAccounts.add(`${s.namespace ?? b.namespace}/${s.name}`);
      }
    }
    return { groups: [...groups].sort(), users: [...users].sort(), serviceAccounts: [...serviceAccounts].sort() };
  }

  /** Every group named by an Argo CD project role, sorted. @internal */
  public argoCdGroups(): string[] {
    return [...this.argoPolicies.keys()].sort();
  }

  /** The bindings that apply in a namespace (its RoleBindings and every ClusterRoleBinding). @internal */
  public bindingsIn(namespace: string): BindingSummary[] {
    if (!this.byNamespace) {
      this.byNamespace = new Map();
      for (const b of this.bindings) {
        const list = this.byNamespace.get(b.namespace ?? '') ?? [];
        list.push(b);
        this.byNamespace.set(b.namespace ?? '', list);
      }
    }
    return [...(this.byNamespace.get('') ?? []), ...(this.byNamespace.get(namespace) ?? [])]
      .map(b => ({ source: b.source, ...(b.namespace ? { namespace: b.namespace } : {}), role: `${b.roleKind} ${b.roleName}`, subjects: b.subjects }));
  }

  private readAppProject(m: any): void {
    const project = m.metadata.name;
    for (const role of m.spec?.roles ?? []) {
      if (!ARGO_ROLE_NAME.test(role.name ?? '')) throw new Error(`AppProject ${project}: role name '${role.name}' is invalid for Argo CD`);
      for (const g of role.groups ?? []) {
        if (typeof g !== 'string' || g.trim() === '' || g.trim() !== g || /[",\n\r\t]/.test(g)) {
          throw new Error(`AppProject ${project}, role ${role.name}: group '${g}' is invalid for Argo CD`);
        }
      }
      const policies: ArgoPolicy[] = (role.policies ?? []).map((text: string) => {
        const parts = String(text).split(',').map(p => p.trim());
        if (parts.length !== 6 || parts[0] !== 'p') throw new Error(`AppProject ${project}, role ${role.name}: policy '${text}' is not 'p, sub, res, act, obj, eft'`);
        const [, subject, resource, action, object, effect] = parts;
        if (subject !== `proj:${project}:${role.name}`) throw new Error(`AppProject ${project}, role ${role.name}: policy subject '${subject}' must be 'proj:${project}:${role.name}'`);
        if (!ARGO_PROJECT_SCOPED.has(resource)) throw new Error(`AppProject ${project}, role ${role.name}: resource '${resource}' is not project-scoped`);
        if (!new RegExp(`^${escapeRegExp(project)}(/[*\\w.-]+)?/[*\\w.-]+$`).test(object)) {
          throw new Error(`AppProject ${project}, role ${role.name}: object '${object}' is outside the project`);
        }
        if (effect !== 'allow' && effect !== 'deny') throw new Error(`AppProject ${project}, role ${role.name}: effect '${effect}'`);
        for (const token of [resource, action, object]) {
          if (/[[\]{}]/.test(token)) throw new Error(`AppProject ${project}, role ${role.name}: glob classes in '${token}' are not supported`);
        }
        return { resource: glob(resource), action: glob(action), object: glob(object), allow: effect === 'allow' };
      });
      for (const group of role.groups ?? []) {
        const byProject = this.argoPolicies.get(group) ?? new Map<string, ArgoPolicy[]>();
        const list = byProject.get(project) ?? [];
        list.push(...policies);
        byProject.set(project, list);
        this.argoPolicies.set(group, byProject);
      }
    }
  }
}

function rulesOf(role: any): Rule[] {
  return (role.rules ?? [])
    .filter((r: any) => (r.resources ?? []).length > 0)
    .map((r: any) => ({ apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], verbs: r.verbs ?? [], resourceNames: r.resourceNames ?? [] }));
}

function ruleMatches(rule: Rule, request: KubernetesRequest): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(request.verb)) return false;
  if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(request.apiGroup)) return false;
  const slash = request.resource.indexOf('/');
  const sub = slash >= 0 ? request.resource.slice(slash + 1) : '';
  const resourceOk = rule.resources.some(r => r === '*' || r === request.resource || (sub !== '' && r === `*/${sub}`));
  if (!resourceOk) return false;
  if (rule.resourceNames.length === 0) return true;
  return request.name !== undefined && rule.resourceNames.includes(request.name);
}

/** A request's verb, API group and resource as compiled roles index their plain rules. @internal */
export function kubernetesRequestKey(request: Pick<KubernetesRequest, 'verb' | 'apiGroup' | 'resource'>): string {
  return `${request.apiGroup}\n${request.resource}\n${request.verb}`;
}

/** The identity a subject names: `Group:<name>` or `User:<name>` (a service account is user `system:serviceaccount:<ns>:<name>`). */
function subjectKey(s: { kind: string; name: string; namespace?: string }, bindingNamespace?: string): string {
  if (s.kind === 'Group') return `Group:${s.name}`;
  if (s.kind === 'User') return `User:${s.name}`;
  if (s.kind === 'ServiceAccount') return `User:system:serviceaccount:${s.namespace ?? bindingNamespace}:${s.name}`;
  throw new Error(`unknown subject kind ${s.kind}`);
}

const globs = new Map<string, RegExp>();

/** Argo CD's glob (no separators) as a regular expression: `*` any sequence, `?` one character. */
function glob(pattern: string): RegExp {
  let re = globs.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('').map(ch => (ch === '*' ? '.*' : ch === '?' ? '.' : escapeRegExp(ch))).join('')}$`, 's');
    globs.set(pattern, re);
  }
  return re;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The identity of a member of an identity-provider group, as the API server sees it. @internal */
export function groupMember(group: string, kubernetesGroupPrefix = ''): KubernetesIdentity {
  return { groups: [`${kubernetesGroupPrefix}${group}`, 'system:authenticated'] };
}

/** The identity of a service account. @internal */
export function serviceAccount(namespace: string, name: string): KubernetesIdentity {
  return { user: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] };
}
