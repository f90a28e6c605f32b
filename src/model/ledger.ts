import * as fs from 'fs';

/** One pinned release of a component in an environment. */
export interface ReleasePin {
  /** The image released (tag or digest). */
  readonly image: string;
  /**
   * Images that ran in this environment before, newest first (kept by `promote`).
   * @default - none
   */
  readonly previous?: string[];
}

/**
 * The release ledger: which image of each component runs in each environment. A reviewed data
 * file in the GitOps repository (JSON), updated by `cdk8s-openchoreo promote` along the pipeline,
 * never by hand-editing manifests. A pin overrides the component's image in that environment;
 * a release reaches an environment only after it ran in one of the environments it is promoted from.
 *
 * ```json
 * { "format": 1, "environments": { "staging": { "payments/payments-api": { "image": "ghcr.io/acme/payments-api:1.8.0" } } } }
 * ```
 */
export class ReleaseLedger {
  /** Reads a ledger file; a missing file is an empty ledger. */
  public static fromFile(file: string): ReleaseLedger {
    if (!fs.existsSync(file)) return new ReleaseLedger({}, file);
    let data: any;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`release ledger ${file} is not valid JSON (${(e as Error).message}). Fix: restore it from version control`);
    }
    return ReleaseLedger.fromJson(data, file);
  }

  /** A ledger from its JSON form. */
  public static fromJson(data: any, source: string = 'inline ledger'): ReleaseLedger {
    if (!data || data.format !== 1 || typeof data.environments !== 'object' || Array.isArray(data.environments)) {
      throw new Error(`${source} is not a release ledger (expected { "format": 1, "environments": { ... } }). Fix: restore it from version control`);
    }
    const pins: { [env: string]: { [component: string]: ReleasePin } } = {};
    for (const [env, byComponent] of Object.entries<any>(data.environments)) {
      pins[env] = {};
      for (const [key, pin] of Object.entries<any>(byComponent ?? {})) {
        if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(key) || typeof pin?.image !== 'string' || (pin.previous !== undefined && !Array.isArray(pin.previous))) {
          throw new Error(`${source}: entry '${env}' / '${key}' is malformed. Fix: use "<project>/<component>": { "image": "<image>", "previous": [...] }`);
        }
        pins[env][key] = { image: pin.image, ...(pin.previous?.length ? { previous: [...pin.previous] } : {}) };
      }
    }
    return new ReleaseLedger(pins, source);
  }

  private constructor(
    private readonly pins: { [env: string]: { [component: string]: ReleasePin } },
    /** Where the ledger came from (for messages). */
    public readonly source: string,
  ) {}

  /** The pin of `project/component` in `environment`, if any. */
  public pinOf(environment: string, project: string, component: string): ReleasePin | undefined {
    return this.pins[environment]?.[`${project}/${component}`];
  }

  /** Environments with pins, sorted. */
  public get environments(): string[] {
    return Object.keys(this.pins).sort();
  }

  /** `project/component` keys pinned in `environment`, sorted. */
  public componentsIn(environment: string): string[] {
    return Object.keys(this.pins[environment] ?? {}).sort();
  }

  /** A copy with `image` pinned for `project/component` in `environment` (the old image moves to `previous`). */
  public withPin(environment: string, project: string, component: string, image: string): ReleaseLedger {
    const copy = JSON.parse(JSON.stringify(this.pins));
    const key = `${project}/${component}`;
    const old: ReleasePin | undefined = copy[environment]?.[key];
    copy[environment] = copy[environment] ?? {};
    if (old?.image === image) return new ReleaseLedger(copy, this.source);
    const previous = old ? [old.image, ...(old.previous ?? [])].filter(i => i !== image).slice(0, 20) : [];
    copy[environment][key] = { image, ...(previous.length ? { previous } : {}) };
    return new ReleaseLedger(copy, this.source);
  }

  /** The ledger as deterministic, reviewable JSON. */
  public toJsonString(): string {
    const environments: any = {};
    for (const env of this.environments) {
      environments[env] = {};
      for (const key of this.componentsIn(env)) environments[env][key] = this.pins[env][key];
    }
    return `${JSON.stringify({ format: 1, environments }, undefined, 2)}\n`;
  }
}
