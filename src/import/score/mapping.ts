import { ExternalService } from '../../model/external-service';
import { Resource } from '../../model/resource';
import { SecretRef } from '../../model/secrets';

/** How a Score resource type is provided by the platform. */
export enum ScoreResourceMappingKind {
  /** An ExternalService the component depends on. */
  EXTERNAL_SERVICE = 'external-service',
  /** Values of one secret-store key. */
  SECRET_STORE = 'secret-store',
  /** A managed Resource of the component's project (`dependOnResource`). */
  RESOURCE = 'resource',
}

/**
 * How the platform provides a Score resource type that is not `service`, `dns` or `route` (for
 * example `postgres`), given in `ScoreLoadOptions.resourceTypes`.
 * @see https://docs.score.dev/docs/score-specification/score-spec-reference/#resources
 */
export class ScoreResourceMapping {
  /**
   * The resource is an external service: the component depends on it (network egress included),
   * and a variable that is exactly `${resources.<name>.host}`, `.port` or `.url` receives its host,
   * port or address. Other outputs come from `secrets` (output name → secret-store reference).
   */
  public static externalService(service: ExternalService, secrets?: { [output: string]: SecretRef }): ScoreResourceMapping {
    return new ScoreResourceMapping(ScoreResourceMappingKind.EXTERNAL_SERVICE, service, undefined, secrets ?? {}, undefined);
  }

  /**
   * Every output of the resource is a property of one secret-store key: a variable that is exactly
   * `${resources.<name>.<output>}` becomes a secret environment variable read from
   * `remoteKey`, property `<output>`.
   */
  public static secretStore(remoteKey: string): ScoreResourceMapping {
    return new ScoreResourceMapping(ScoreResourceMappingKind.SECRET_STORE, undefined, remoteKey, {}, undefined);
  }

  /**
   * The resource is a managed Resource of the component's project: the component depends on it
   * (`component.dependOnResource(resource)`, which injects `<PREFIX>_HOST`, `_PORT`, `_DATABASE`,
   * `_USER` and `_PASSWORD`, credentials as secret references). Variables that are exactly
   * `${resources.<name>.host}`, `.port`, `.database`, `.username` or `.password` must be named
   * with one prefix and those suffixes (e.g. `DB_HOST`, `DB_PORT`, …): the prefix becomes the
   * dependency's `envPrefix`. Without such variables the prefix is the resource's name.
   */
  public static resource(resource: Resource): ScoreResourceMapping {
    return new ScoreResourceMapping(ScoreResourceMappingKind.RESOURCE, undefined, undefined, {}, resource);
  }

  private constructor(
    /** How the resource is provided. */
    public readonly kind: ScoreResourceMappingKind,
    /** The external service, for EXTERNAL_SERVICE. */
    public readonly service: ExternalService | undefined,
    /** The secret-store key, for SECRET_STORE. */
    public readonly remoteKey: string | undefined,
    /** Outputs read from the secret store, for EXTERNAL_SERVICE. */
    public readonly secrets: { [output: string]: SecretRef },
    /** The managed resource, for RESOURCE. */
    public readonly managedResource: Resource | undefined,
  ) {}
}
