import { IConstruct } from 'constructs';
import { fail } from './errors';

/** Options of a secret reference. */
export interface SecretRefOptions {
  /**
   * The property inside the remote secret (for JSON secrets).
   * @default - the whole remote value
   */
  readonly property?: string;
  /**
   * The version of the remote secret.
   * @default - the latest version
   */
  readonly version?: string;
}

/**
 * A reference to a value kept in the data plane's secret store. The value never enters the
 * generated YAML: an ExternalSecret asks the External Secrets Operator to fetch it.
 * @see https://external-secrets.io/latest/api/externalsecret/
 */
export class SecretRef {
  /**
   * References `key` in the data plane's ClusterSecretStore.
   * @param key the remote key, e.g. `prod/payments/db`
   */
  public static fromStore(key: string, options: SecretRefOptions = {}): SecretRef {
    return new SecretRef(key, options.property, options.version);
  }

  private constructor(
    /** The remote key in the secret store. */
    public readonly key: string,
    /** The property inside the remote secret, if any. */
    public readonly property?: string,
    /** The version of the remote secret, if pinned. */
    public readonly version?: string,
  ) {}
}

const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)($|_)/i;
const NOT_SECRET_NAME = /(_(URL|URI|ENDPOINT|HOST|PORT|PATH|FILE|ISSUER|AUDIENCE|HEADER|NAME|TTL|TIMEOUT|EXPIRY|ENABLED|REFRESH_INTERVAL))$/i;
const SECRET_VALUE: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a PEM private key'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'a GitHub token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bsk_(live|test)_[A-Za-z0-9]{16,}/, 'a Stripe secret key'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'a JSON Web Token'],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, 'a URL with an embedded password'],
];

/**
 * Rejects literal secret values in plain environment variables and config files. A secret must be a
 * `SecretRef`, so that no secret value ever appears in the output.
 * @internal
 */
export function checkNoLiteralSecret(scope: IConstruct, what: string, name: string, value: string): void {
  if (!clearValues.has(value)) {
    for (const [re, label] of SECRET_VALUE) {
      if (re.test(value)) {
        fail(scope, `${what} '${name}' holds what looks like ${label} as a literal value`,
          'keep the value in the secret store and reference it with SecretRef.fromStore(...) (secretEnv or a secret file) instead');
      }
    }
    if (value.length <= CLEAR_VALUE_MAX_LENGTH && clearValues.size < MEMO_LIMIT) clearValues.add(value);
  }
  if (value.length > 0 && isSecretName(name)) {
    fail(scope, `${what} '${name}' looks like a secret but is given as a literal value (${value.length} characters, not shown)`,
      `move it to secretEnv: { ${name}: SecretRef.fromStore('<remote-key>') }`);
  }
}

/**
 * Short values no SECRET_VALUE pattern matches, and the verdict of SECRET_NAME / NOT_SECRET_NAME per
 * variable name: both checks are pure functions of the text, and the same few names and values
 * (LOG_LEVEL=info) recur in every component and environment.
 */
const clearValues = new Set<string>();
/** Bounds each memo (values and names come from user input). */
const MEMO_LIMIT = 10_000;
const CLEAR_VALUE_MAX_LENGTH = 256;
const secretNames = new Map<string, boolean>();

function isSecretName(name: string): boolean {
  let secret = secretNames.get(name);
  if (secret === undefined) {
    secret = SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
    if (secretNames.size < MEMO_LIMIT) secretNames.set(name, secret);
  }
  return secret;
}
