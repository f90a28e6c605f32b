import { App, AppProps } from 'cdk8s';
import { contentOf, FileContent } from './file-content';
import { inputFingerprint, processInputs } from './fingerprint';
import { OutputLayout } from './layout';
import { cacheEntryPath, rememberSynthesis, reusableSynthesis } from './synth-cache';
import { writeOwnedTree } from './writer';
import { debugRequested, PlatformErrors } from '../model/errors';
import { checkBoolean, checkEnum } from '../model/runtime-types';
import { writePolicyWarnings } from '../policy/warnings';
import { policyWarnings, synthesizeFiles } from '../synth';

/** Properties of a {@link PlatformApp}. */
export interface PlatformAppProps extends AppProps {
  /**
   * How objects are spread over files inside each cell's folder.
   * @default OutputLayout.FILE_PER_COMPONENT
   */
  readonly layout?: OutputLayout;

  /**
   * Skip an unchanged synthesis: when nothing the output depends on changed since the last
   * `synth()` into the same folder, and that folder still holds exactly what it wrote (every file
   * with its recorded sha256), `synth()` writes nothing and only prints the recorded policy
   * warnings. What it compares: the content of every CommonJS module loaded (the app, this library,
   * its dependencies), the Node.js version, the working directory, the command line, the
   * environment variables, and the declared state of every construct (own enumerable properties,
   * followed through objects, arrays, maps and sets; functions by their source). The record is kept
   * in `node_modules/.cache/cdk8s-openchoreo/` (never in the output folder), so a fresh clone
   * synthesizes in full. An app whose entry is an ES module is never skipped. Set `false` if the
   * app's output depends on state the constructs do not hold, read while synthesizing (a closure
   * variable, a `#private` field, a file read by a trait's `render`). The environment variable
   * `CDK8S_OPENCHOREO_CACHE=off` turns it off as well.
   * @default true
   */
  readonly cache?: boolean;
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

  /** Whether an unchanged synthesis is skipped (see `PlatformAppProps.cache`). */
  public readonly cache: boolean;

  constructor(props: PlatformAppProps = {}) {
    super(props);
    this.layout = checkEnum('PlatformApp', 'layout', props.layout, OutputLayout, 'OutputLayout') ?? OutputLayout.FILE_PER_COMPONENT;
    this.cache = checkBoolean('PlatformApp', 'cache', props.cache) ?? true;
  }

  /**
   * Resolves, validates and writes every organization (and any other chart) to the output
   * directory. The writer owns only the files it generated (recorded in
   * `.cdk8s-openchoreo/files.json`): it removes its own stale files, leaves every other file
   * alone, refuses to overwrite a file it does not own, and skips files whose content is unchanged.
   * Prints the policy pack's warnings to stderr, once per call (each environment's policy.md lists them).
   * Skips all of it when nothing changed since the last synthesis into the same folder (see `PlatformAppProps.cache`).
   */
  public synth(): void {
    const cached = this.cacheKey();
    const reusable = cached && reusableSynthesis(this.outdir, cached.fingerprint, cached.entryFile);
    if (reusable) {
      writePolicyWarnings(reusable.warnings);
      return;
    }
    let record: string | undefined;
    // each YAML content is produced when its file is written
    writeOwnedTree(this.outdir, this.renderFiles(), { onRecorded: sha => { record = sha; } });
    const warnings = policyWarnings(this);
    writePolicyWarnings(warnings);
    if (cached && record !== undefined) rememberSynthesis(this.outdir, cached.fingerprint, record, warnings, cached.entryFile);
  }

  /** The files `synth()` would write, as relative path → YAML content, sorted by path. */
  public synthFiles(): { [file: string]: string } {
    return Object.fromEntries(this.renderFiles().map(([file, content]) => [file, contentOf(content)]));
  }

  /** The files, sorted by path, with YAML contents deferred (produced when asked for). */
  private renderFiles(): Array<[string, FileContent]> {
    return synthesizeFiles(this, this.layout);
  }

  /** The input fingerprint (before anything is synthesized) and where its entry is kept; undefined when the cache is off or the inputs cannot be listed. */
  private cacheKey(): { fingerprint: string; entryFile: string } | undefined {
    if (!this.cache || /^(0|off|false|no)$/i.test(process.env.CDK8S_OPENCHOREO_CACHE ?? '')) return undefined;
    const inputs = processInputs();
    return inputs && { fingerprint: inputFingerprint(this, inputs), entryFile: cacheEntryPath(this.outdir) };
  }
}

let errorHandlerInstalled = false;
