import { ValidationProblem } from '../../model/errors';
import { IPolicyRule, PolicyFinding, PolicySeverity, PolicySubject } from '../../model/policy';
import { objectLimitProblems } from '../../render/object-limits';

/**
 * OC-API-SIZE-LIMITS: the limits the API server enforces (a ConfigMap's data at most 1 MiB, an
 * object's annotations at most 256 KiB, valid label values), checked before an apply fails. In
 * every pack, always an error, and not suppressible.
 * @internal
 */
export class ApiSizeLimitsPolicyRule implements IPolicyRule {
  public readonly id = 'OC-API-SIZE-LIMITS';
  public readonly severity = PolicySeverity.ERROR;
  public readonly description = 'Objects fit the API server: ConfigMap data at most 1 MiB, annotations at most 256 KiB, label values valid';
  public readonly fix = 'make the ConfigMap or annotations smaller, or the label value valid';

  public check(subject: PolicySubject): PolicyFinding[] {
    const problems: ValidationProblem[] = [];
    objectLimitProblems(subject, problems);
    return problems.length === 0 ? problems : problems.map(p => ({ message: p.message, fix: p.fix }));
  }
}
