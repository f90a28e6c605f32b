import { App, AppProps, Chart } from 'cdk8s';
import { FileOwners } from './file-owners';
import { filesOf, kustomizations, OutputLayout } from './layout';
import { writeOwnedTree } from './writer';
import { toYamlDocuments } from './yaml';
import { debugRequested, PlatformErrors, ProblemCollector } from '../model/errors';

/** Properties of a {@link PlatformApp}. */
export interface PlatformAppProps extends AppProps {
  /**
   * How objects are spread over files inside each cell's folder.
   * @default OutputLayout.FILE_PER_COMPONENT
   */
  readonly layout?: OutputLayout;
}
import { Organization } from '../model/organization';
import { checkIdentitiesAcross } from '../render/identities';
import { checkOrganizationNames } from '../resolve/collisions';

/**
 * A cdk8s App that writes each organization as a GitOps tree:
 * `<outdir>/<organization>/<data plane>/<environment>/<project>/<component>.yaml` (plus the cell's
 * `namespace.yaml` and `network-baseline.yaml`), a `kustomization.yaml` in every folder so that
 * `kubectl kustomize` builds any level, and a `connectivity.md` per environment. Every
 * organization is resolved and validated before the first file is written, so bad input never
 * leaves partial output. Other charts are written as `<chart>.k8s.yaml`. Works with `cdk8s synth`
 * (which sets the output directory).
 */
export class PlatformApp extends App {
  /**
   * Makes errors readable in a command-line entry (the `main.ts` that `cdk8s synth` runs): call it
   * first. An error thrown afterwards, while declaring or while synthesizing, prints each problem
   * once as `[path] message. Fix: ...` to stderr, without a stack trace, and ends the process with
   * exit code 1. Set `CDK8S_OPENCHOREO_DEBUG=1` to see the stack trace as well. Calling it again
   * changes nothing. Not for tests or long-running processes: catch the error there and read
   * `PlatformErrors.problemsOf(error)`.
   */
  public static handleErrors(): void {
    if (errorHandlerInstalled) return;
    errorHandlerInstalled = true;
    const exit = (error: unknown) => {
      process.stderr.write(PlatformErrors.describe(error, debugRequested()));
      process.exit(1);
    };
    process.on('uncaughtException', exit);
    process.on('unhandledRejection', exit);
  }

  /** How objects are spread over files. */
  public readonly layout: OutputLayout;

  constructor(props: PlatformAppProps = {}) {
    super(props);
    this.layout = props.layout ?? OutputLayout.FILE_PER_COMPONENT;
  }

  /**
   * Resolves, validates and writes every organization (and any other chart) to the output
   * directory. The writer owns only the files it generated (recorded in
   * `.cdk8s-openchoreo/files.json`): it removes its own stale files, leaves every other file
   * alone, refuses to overwrite a file it does not own, and skips files whose content is unchanged.
   */
  public synth(): void {
    writeOwnedTree(this.outdir, this.synthFiles());
  }

  /** The files `synth()` would write, as relative path → YAML content, sorted by path. */
  public synthFiles(): { [file: string]: string } {
    return Object.fromEntries(this.renderFiles());
  }

  private renderFiles(): Array<[string, string]> {
    const groups = new Map<string, any[]>();
    const organizations = this.node.findAll().filter(Organization.isOrganization);
    const names = new ProblemCollector();
    checkOrganizationNames(organizations, names);
    names.throwIfAny();
    // Resolve and validate every organization before anything else is rendered or written.
    const rendered = organizations.map(org => ({ org, objects: org._render() }));
    checkIdentitiesAcross(rendered.map(({ org, objects }) => ({ org, plan: objects.plan, objects: objects.objects })));
    const owners = new FileOwners();
    const documents = new Map<string, string>();
    for (const { org, objects } of rendered) {
      const files = filesOf(objects.objects, this.layout);
      for (const [i, o] of objects.objects.entries()) {
        const file = `${org.name}/${files[i]}`;
        const name = `${o.manifest.metadata?.namespace ? `${o.manifest.metadata.namespace}/` : ''}${o.manifest.metadata?.name}`;
        owners.claim(file, this.layout === OutputLayout.FILE_PER_RESOURCE
          ? `${o.manifest.apiVersion} ${o.manifest.kind} '${name}' (${o.group})`
          : `the '${o.group}' objects of ${org.name}/${o.dir}/`);
        push(groups, file, o.manifest);
      }
      for (const d of objects.documents) {
        owners.claim(`${org.name}/${d.file}`, `the document ${d.file} of organization ${org.node.path}`);
        documents.set(`${org.name}/${d.file}`, d.content);
      }
      for (const m of org._extraObjects()) {
        owners.claim(`${org.name}/extra-objects.yaml`, `the objects added to chart ${org.node.path} directly`);
        push(groups, `${org.name}/extra-objects.yaml`, m);
      }
    }
    for (const construct of this.node.findAll()) {
      if (!Chart.isChart(construct) || Organization.isOrganization(construct)) continue;
      const docs = construct.toJson();
      const file = `${construct.node.path.replace(/\//g, '-')}.k8s.yaml`;
      if (docs.length === 0) continue;
      owners.claim(file, `chart ${construct.node.path}`);
      groups.set(file, docs);
    }
    const manifests = [...groups.entries()].map(([file, docs]): [string, string] => [file, toYamlDocuments(docs)]);
    const orgFiles = manifests.map(([file]) => file).filter(f => organizations.some(o => f.startsWith(`${o.name}/`)));
    const generated = kustomizations(orgFiles);
    for (const file of generated.keys()) owners.claim(file, `the generated kustomization of ${file.replace(/\/kustomization\.yaml$/, '/')}`);
    owners.throwIfAny();
    return [...manifests, ...generated.entries(), ...documents.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

let errorHandlerInstalled = false;

function push(groups: Map<string, any[]>, file: string, manifest: any): void {
  const list = groups.get(file);
  if (list) list.push(manifest);
  else groups.set(file, [manifest]);
}
