import { ExternalService } from '../../model/external-service';
import { SecretRef } from '../../model/secrets';

/** How a Score resource type is provided by the platform. */
export enum ScoreResourceMappingKind {
  /** An ExternalService the component depends on. */
  EXTERNAL_SERVICE = 'external-service',
  /** Values of one secret-store key. */
  SECRET_STORE = 'secret-store',
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
    return new ScoreResourceMapping(ScoreResourceMappingKind.EXTERNAL_SERVICE, service, undefined, secrets ?? {});
  }

  /**
   * Every output of the resource is a property of one secret-store key: a variable that is exactly
   * `${resources.<name>.<output>}` becomes a secret environment variable read from
   * `remoteKey`, property `<output>`.
   */
  public static secretStore(remoteKey: string): ScoreResourceMapping {
    return new ScoreResourceMapping(ScoreResourceMappingKind.SECRET_STORE, undefined, remoteKey, {});
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
  ) {}
}
