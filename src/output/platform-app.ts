import { App, AppProps } from 'cdk8s';
import { contentOf, FileContent } from './file-content';
import { OutputLayout } from './layout';
import { writeOwnedTree } from './writer';
import { debugRequested, PlatformErrors } from '../model/errors';
import { checkEnum } from '../model/runtime-types';
import { printWarnings, synthesizeFiles } from '../synth';

/** Properties of a {@link PlatformApp}. */
export interface PlatformAppProps extends AppProps {
  /**
   * How objects are spread over files inside each cell's folder.
   * @default OutputLayout.FILE_PER_COMPONENT
   */
  readonly layout?: OutputLayout;
}

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
    this.layout = checkEnum('PlatformApp', 'layout', props.layout, OutputLayout, 'OutputLayout') ?? OutputLayout.FILE_PER_COMPONENT;
  }

  /**
   * Resolves, validates and writes every organization (and any other chart) to the output
   * directory. The writer owns only the files it generated (recorded in
   * `.cdk8s-openchoreo/files.json`): it removes its own stale files, leaves every other file
   * alone, refuses to overwrite a file it does not own, and skips files whose content is unchanged.
   * Prints the policy pack's warnings to stderr, once per call (each environment's policy.md lists them).
   */
  public synth(): void {
    writeOwnedTree(this.outdir, this.renderFiles()); // each YAML content is produced when its file is written
    printWarnings(this);
  }

  /** The files `synth()` would write, as relative path → YAML content, sorted by path. */
  public synthFiles(): { [file: string]: string } {
    return Object.fromEntries(this.renderFiles().map(([file, content]) => [file, contentOf(content)]));
  }

  /** The files, sorted by path, with YAML contents deferred (produced when asked for). */
  private renderFiles(): Array<[string, FileContent]> {
    return synthesizeFiles(this, this.layout);
  }
}

let errorHandlerInstalled = false;
