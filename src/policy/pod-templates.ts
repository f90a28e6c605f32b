/** Workload kinds whose pods a policy reads, with where their pod template sits. */
const TEMPLATE_PATHS: Record<string, { readonly apiVersion: string; readonly path: readonly string[] }> = {
  Deployment: { apiVersion: 'apps/v1', path: ['spec', 'template'] },
  StatefulSet: { apiVersion: 'apps/v1', path: ['spec', 'template'] },
  DaemonSet: { apiVersion: 'apps/v1', path: ['spec', 'template'] },
  ReplicaSet: { apiVersion: 'apps/v1', path: ['spec', 'template'] },
  Job: { apiVersion: 'batch/v1', path: ['spec', 'template'] },
  CronJob: { apiVersion: 'batch/v1', path: ['spec', 'jobTemplate', 'spec', 'template'] },
  PodTemplate: { apiVersion: 'v1', path: ['template'] },
  Pod: { apiVersion: 'v1', path: [] },
};

/** The kinds {@link podTemplatesOf} finds pod templates in (for rules that read only those, see ./rule-kinds). @internal */
export const POD_TEMPLATE_KINDS: ReadonlySet<string> = new Set(Object.keys(TEMPLATE_PATHS));

/** The kinds of {@link isServingWorkload}'s objects. @internal */
export const SERVING_WORKLOAD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet']);

/** One pod template of a manifest: its JSON path and its pod spec. @internal */
export interface PodTemplateRef {
  /** Where it sits, e.g. `spec.template.spec`. */
  readonly at: string;
  readonly spec: any;
}

/** One container of a pod spec, with its JSON path, e.g. `spec.template.spec.initContainers[0]`. @internal */
export interface ContainerRef {
  readonly at: string;
  readonly name: string;
  readonly container: any;
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  readonly list: string;
}

/*
 * While the policy engine runs the rules ({@link memoizingPodTemplates}), five rules read the pod
 * templates and containers of each workload: they are found once per manifest and shared between
 * the rules (which only read them; manifests do not change while the rules run). The engine runs
 * every rule on one object before the next object, so the memo is one slot (the last manifest and
 * its templates, the last template and its containers), not a map of every workload: no lookup by
 * object identity, and nothing kept of the objects already checked.
 */
let memoizing = false;
let lastManifest: object | undefined;
let lastTemplates: PodTemplateRef[] = [];
let lastPod: PodTemplateRef | undefined;
let lastContainers: ContainerRef[] = [];

/** Runs `fn` with pod templates and containers found once per manifest (while it is asked again right away). @internal */
export function memoizingPodTemplates<T>(fn: () => T): T {
  const outer = memoizing;
  memoizing = true;
  forget();
  try {
    return fn();
  } finally {
    memoizing = outer;
    forget();
  }
}

function forget(): void {
  lastManifest = undefined;
  lastTemplates = [];
  lastPod = undefined;
  lastContainers = [];
}

/** The pod templates of a Kubernetes workload object (none for other objects). @internal */
export function podTemplatesOf(manifest: any): PodTemplateRef[] {
  if (!memoizing || typeof manifest !== 'object' || manifest === null) return findPodTemplates(manifest);
  if (manifest !== lastManifest) {
    lastTemplates = findPodTemplates(manifest);
    lastManifest = manifest;
  }
  return lastTemplates;
}

function findPodTemplates(manifest: any): PodTemplateRef[] {
  const known = TEMPLATE_PATHS[manifest?.kind];
  if (!known || manifest.apiVersion !== known.apiVersion) return [];
  let node: any = manifest;
  for (const key of known.path) node = node?.[key];
  return node && typeof node === 'object' ? [{ at: specPathOf(known.path), spec: node.spec ?? {} }] : [];
}

// The JSON path of each kind's pod spec, joined once (rules ask for every workload).
const specPaths = new Map<readonly string[], string>();

function specPathOf(path: readonly string[]): string {
  let at = specPaths.get(path);
  if (at === undefined) {
    at = [...path, 'spec'].join('.');
    specPaths.set(path, at);
  }
  return at;
}

/** Every container of a pod spec: containers, init containers, ephemeral containers. @internal */
export function containersOf(pod: PodTemplateRef): ContainerRef[] {
  if (!memoizing) return findContainers(pod);
  if (pod !== lastPod) {
    lastContainers = findContainers(pod);
    lastPod = pod;
  }
  return lastContainers;
}

function findContainers(pod: PodTemplateRef): ContainerRef[] {
  return ['containers', 'initContainers', 'ephemeralContainers'].flatMap(list =>
    (Array.isArray(pod.spec[list]) ? pod.spec[list] : []).map((container: any, i: number) => ({
      at: `${pod.at}.${list}[${i}]`, name: String(container?.name ?? `#${i}`), container: container ?? {}, list,
    })));
}

/** Objects that run the component's pods and serve its endpoints: Deployments and StatefulSets. @internal */
export function isServingWorkload(manifest: any): boolean {
  return manifest?.apiVersion === 'apps/v1' && (manifest.kind === 'Deployment' || manifest.kind === 'StatefulSet');
}
