import * as crypto from 'crypto';
import { renderApiPolicies } from './api-policy';
import { renderBuildPlane } from './builds';
import { renderConfig } from './config';
import { renderDashboard } from './dashboards';
import { cellDirectory, platformDirectory } from './directories';
import { renderGateways } from './gateway';
import { cellLabels } from './metadata';
import { renderNamespace } from './namespace';
import { renderCiliumComponentPolicy, renderCiliumPolicies } from './network-cilium';
import { renderKubernetesComponentPolicy, renderKubernetesPolicies } from './network-kubernetes';
import { renderCellRules, renderInstrumentation, renderMonitoring } from './observability';
import { renderQuota } from './quota';
import { renderAccessClusterRoles, renderCellAccess } from './rbac';
import { renderResource } from './resources';
import { renderRoutes } from './routes';
import { renderScaling } from './scaling';
import { renderService } from './service';
import { renderServiceAccount } from './service-account';
import { renderHeadlessService } from './stateful';
import type { RenderedObject } from './types';
import { renderWorkload } from './workload';
import { NetworkPolicyProvider } from '../model/network';
import { Cell, Plan, PlanComponent, PlanDataPlane } from '../resolve/plan';

/** sha256 of a string in hex: one call where Node has `crypto.hash` (20.12 and later; 2–3× faster per short string), else a Hash object. */
const sha256Hex: (s: string) => string = typeof crypto.hash === 'function'
  ? s => crypto.hash('sha256', s, 'hex')
  : s => crypto.createHash('sha256').update(s).digest('hex');

/**
 * Renders a resolved plan: each data plane's platform objects, then cell by cell, component by
 * component. @internal
 */
export function renderPlan(plan: Plan): RenderedObject[] {
  const out: RenderedObject[] = [];
  const planes = new Map(plan.dataPlanes.map(d => [d.name, d]));
  for (const dp of plan.dataPlanes) {
    for (const manifest of renderGateways(plan.organization.name, dp)) {
      out.push({ dir: platformDirectory(dp.name), group: 'gateways', isComponent: false, manifest });
    }
    for (const manifest of renderAccessClusterRoles(plan, dp.name)) {
      out.push({ dir: platformDirectory(dp.name), group: 'rbac', isComponent: false, manifest });
    }
  }
  for (const bp of plan.buildPlanes) {
    for (const manifest of renderBuildPlane(bp, planes.get(bp.dataPlane)!)) {
      out.push({ dir: platformDirectory(bp.dataPlane), group: 'builds', isComponent: false, manifest });
    }
  }
  for (const cell of plan.cells) {
    const dir = cellDirectory(cell);
    const store = planes.get(cell.dataPlane)!;
    const cilium = cell.network.provider === NetworkPolicyProvider.CILIUM;
    out.push({ dir, group: 'namespace', isComponent: false, manifest: renderNamespace(cell) });
    for (const manifest of renderQuota(cell)) out.push({ dir, group: 'quota', isComponent: false, manifest });
    for (const manifest of cilium ? renderCiliumPolicies(cell) : renderKubernetesPolicies(cell)) {
      out.push({ dir, group: 'network-baseline', isComponent: false, manifest });
    }
    for (const manifest of [...renderInstrumentation(cell, cellLabels(cell)), ...renderCellRules(cell, store.observability, cellLabels(cell))]) {
      out.push({ dir, group: 'observability', isComponent: false, manifest });
    }
    out.push({ dir: platformDirectory(cell.dataPlane), group: 'dashboards', isComponent: false, manifest: renderDashboard(cell, store.observability) });
    for (const manifest of renderCellAccess(plan, cell)) out.push({ dir, group: 'access', isComponent: false, manifest });
    for (const c of cell.components) renderComponent(out, dir, cell, c, store, cilium);
    for (const r of cell.resources ?? []) {
      for (const manifest of renderResource(cell, r, store)) out.push({ dir, group: r.name, isComponent: true, manifest });
    }
  }
  return out;
}

/**
 * A component's objects in a cell, in output order, appended to `out`. A function of its own (not
 * a loop body of renderPlan) so that the engine optimizes it after a few components.
 */
function renderComponent(out: RenderedObject[], dir: string, cell: Cell, c: PlanComponent, store: PlanDataPlane, cilium: boolean): void {
  const config = renderConfig(cell, c, store);
  const configHash = sha256Hex(JSON.stringify(config)).slice(0, 16);
  const group = c.name;
  out.push({ dir, group, isComponent: true, manifest: renderServiceAccount(cell, c) });
  addAll(out, dir, group, config);
  out.push({ dir, group, isComponent: true, manifest: renderWorkload(cell, c, configHash) });
  addAll(out, dir, group, renderService(cell, c));
  addAll(out, dir, group, renderHeadlessService(cell, c));
  addAll(out, dir, group, renderRoutes(cell, c));
  addAll(out, dir, group, renderApiPolicies(cell, c, store));
  addAll(out, dir, group, renderScaling(cell, c));
  addAll(out, dir, group, renderMonitoring(cell, c, store.observability));
  out.push({ dir, group, isComponent: true, manifest: cilium ? renderCiliumComponentPolicy(cell, c) : renderKubernetesComponentPolicy(cell, c) });
}

/** Appends a component's manifests to `out` (a module function: no closures per component). */
function addAll(out: RenderedObject[], dir: string, group: string, manifests: any[]): void {
  for (let i = 0; i < manifests.length; i++) out.push({ dir, group, isComponent: true, manifest: manifests[i] });
}
