/**
 * The raw cdk8s-plus-28 baseline (reference/toolchain-and-style.md, appendix): an App of `charts`
 * charts, each set being a Deployment exposed by a Service plus a default-deny NetworkPolicy
 * with one ingress rule — three API objects per set.
 */
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/** API objects one set emits (Deployment, Service, NetworkPolicy). */
export const OBJECTS_PER_SET = 3;

/** Options of {@link buildBaseline}. */
export interface BaselineOptions {
  /** Number of Deployment + Service + NetworkPolicy sets. */
  readonly sets: number;
  /** Output directory of the App. */
  readonly outdir: string;
  /** Number of charts. Default 10. */
  readonly charts?: number;
}

/** Builds the baseline app (not synthesized). */
export function buildBaseline(options: BaselineOptions): { app: App; charts: Chart[] } {
  const app = new App({ outdir: options.outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  const charts: Chart[] = [];
  const chartCount = options.charts ?? 10;
  for (let c = 0; c < chartCount; c++) charts.push(new Chart(app, `chart-${c}`, { namespace: `ns-${c}` }));
  for (let i = 0; i < options.sets; i++) {
    const chart = charts[i % chartCount];
    const d = new kplus.Deployment(chart, `app-${i}`, {
      replicas: 2,
      containers: [{ image: `registry.local/app-${i}:1.0`, portNumber: 8080, securityContext: { user: 1000, group: 1000 } }],
    });
    d.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    const np = new kplus.NetworkPolicy(chart, `app-${i}-np`, { selector: d, ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY } });
    np.addIngressRule(kplus.Pods.select(chart, `app-${i}-clients`, { labels: { role: 'gateway' } }), [kplus.NetworkPolicyPort.tcp(8080)]);
  }
  return { app, charts };
}

/** API objects in the charts (walks the construct tree). */
export function countBaselineObjects(charts: Chart[]): number {
  return charts.reduce((n, c) => n + c.node.findAll().filter(x => x instanceof ApiObject).length, 0);
}
