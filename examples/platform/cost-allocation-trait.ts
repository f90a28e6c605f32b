import { JsonPatch } from 'cdk8s';
import { ITrait, TraitContext, TraitNeeds, TraitRenderContext, TraitRendering } from '../../src';

/** Options of the {@link CostAllocationTrait}. */
export interface CostAllocationOptions {
  /** The cost center of each project, e.g. `{ payments: 'cc-4100' }`. */
  readonly costCenters: { [project: string]: string };
  /**
   * The label the cost tool (Kubecost, OpenCost) groups pods by.
   * @default 'acme.example/cost-center'
   */
  readonly labelKey?: string;
}

/**
 * A trait of ACME's own: labels every pod with its project's cost center so the cost tool can
 * charge it back, and marks production pods as such. It needs no containers and no traffic, so
 * `needs()` returns nothing; `render()` patches the workload's pod template.
 */
export class CostAllocationTrait implements ITrait {
  public readonly name = 'cost-allocation';
  private readonly labelKey: string;

  constructor(private readonly options: CostAllocationOptions) {
    this.labelKey = options.labelKey ?? 'acme.example/cost-center';
  }

  public needs(_context: TraitContext): TraitNeeds {
    return {};
  }

  public render(context: TraitRenderContext): TraitRendering {
    const template = context.workloadKind === 'CronJob' ? '/spec/jobTemplate/spec/template' : '/spec/template';
    const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
    return {
      patches: [{
        kind: context.workloadKind,
        name: context.workloadName,
        operations: [
          JsonPatch.add(`${template}/metadata/labels/${escape(this.labelKey)}`, this.options.costCenters[context.project] ?? 'unallocated'),
          JsonPatch.add(`${template}/metadata/labels/${escape('acme.example/billing-tier')}`, context.isProduction ? 'production' : 'non-production'),
        ],
      }],
    };
  }
}
