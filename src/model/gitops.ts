import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { checkFormatDuration, DurationTarget } from './duration';
import { fail } from './errors';
import { checkNamespaceName } from './limits';
import { Organization } from './organization';
import { checkEnumList } from './runtime-types';
import { checkNoUrlCredentials, maskUrl } from './url-checks';

/** Which GitOps controllers the organization's tree is delivered with. */
export enum GitOpsTool {
  /** Argo CD: AppProjects and Applications (an app-of-apps per environment). */
  ARGO_CD = 'argo-cd',
  /** Flux: a GitRepository and Kustomizations. */
  FLUX = 'flux',
}

/** Properties of {@link GitOpsDelivery}. */
export interface GitOpsDeliveryProps {
  /** URL of the Git repository the synthesized tree is committed to. */
  readonly repoUrl: string;
  /**
   * Branch (or tag, for Argo CD) the controllers follow.
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * Folder of the synthesized output inside the repository.
   * @default '.' - the repository root
   */
  readonly basePath?: string;
  /**
   * The controllers to render objects for.
   * @default [GitOpsTool.ARGO_CD]
   */
  readonly tools?: GitOpsTool[];
  /**
   * Namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly argoCdNamespace?: string;
  /**
   * Namespace Flux runs in.
   * @default 'flux-system'
   */
  readonly fluxNamespace?: string;
  /**
   * How often Flux checks the repository and re-applies.
   * @default Duration.minutes(5)
   */
  readonly interval?: Duration;
}

/**
 * How the organization's tree reaches the clusters: Argo CD Applications and/or Flux
 * Kustomizations per environment × project, ordered along the dependency graph, with automated
 * sync except where the pipeline requires approval.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/
 */
export class GitOpsDelivery extends Construct {
  /** The organization delivered. */
  public readonly organization: Organization;
  /** Repository URL. */
  public readonly repoUrl: string;
  /** Branch or tag followed. */
  public readonly revision: string;
  /** Folder of the output inside the repository (no leading or trailing slash; '' for the root). */
  public readonly basePath: string;
  /** Tools rendered for. */
  public readonly tools: GitOpsTool[];
  /** Argo CD namespace. */
  public readonly argoCdNamespace: string;
  /** Flux namespace. */
  public readonly fluxNamespace: string;
  /** Flux interval. */
  public readonly interval: Duration;

  constructor(scope: Construct, id: string, props: GitOpsDeliveryProps) {
    super(scope, id);
    this.organization = Organization.ofConstruct(this);
    checkNoUrlCredentials(this, 'repoUrl', props.repoUrl, 'give the controllers repository credentials in their own Secret (Argo CD repository secret, Flux secretRef)');
    if (!/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/.test(props.repoUrl ?? '')) {
      fail(this, `repoUrl '${maskUrl(props.repoUrl)}' is not a Git repository URL`, "use an https:// or ssh:// URL, e.g. 'https://github.com/acme/platform.git' or 'ssh://git@github.com/acme/platform.git'");
    }
    this.repoUrl = props.repoUrl;
    this.revision = props.revision ?? 'main';
    if (!/^[A-Za-z0-9._\/-]+$/.test(this.revision)) fail(this, `revision '${this.revision}' is not a branch or tag name`, "use a branch such as 'main'");
    const base = (props.basePath ?? '.').replace(/^\.(\/|$)/, '').replace(/\/+$/, '');
    if (base.split('/').includes('..') || base.startsWith('/')) fail(this, `basePath '${props.basePath}' leaves the repository`, "use a folder inside the repository such as 'deploy'");
    this.basePath = base;
    this.tools = [...new Set(checkEnumList(this, 'tools', props.tools, GitOpsTool, 'GitOpsTool') ?? [GitOpsTool.ARGO_CD])].sort();
    if (this.tools.length === 0) fail(this, 'tools is empty', 'list GitOpsTool.ARGO_CD, GitOpsTool.FLUX or both');
    const scp = /^git@([^:/]+):(.+)$/.exec(props.repoUrl);
    if (scp && this.tools.includes(GitOpsTool.FLUX)) {
      fail(this, `repoUrl '${props.repoUrl}' is an scp-style Git URL, which Flux does not accept (only http, https and ssh:// URLs)`,
        `use 'ssh://git@${scp[1]}/${scp[2]}'`);
    }
    this.argoCdNamespace = checkNamespaceName(this, 'argoCdNamespace', props.argoCdNamespace ?? 'argocd', 'argocd');
    this.fluxNamespace = checkNamespaceName(this, 'fluxNamespace', props.fluxNamespace ?? 'flux-system', 'flux-system');
    this.interval = props.interval ?? Duration.minutes(5);
    checkFormatDuration(this, 'interval', this.interval, DurationTarget.GO, 'Duration.minutes(5)');
    this.organization._register('GitOpsDelivery', 'delivery', this);
  }
}
