import { k8s } from 'cdk8s-plus-28';
import { object, Plain } from './json';
import { componentMetadata } from './metadata';
import { PlanStateful } from '../resolve/containers';
import { Cell, PlanComponent } from '../resolve/plan';

/**
 * A StatefulService's workload: a StatefulSet whose pods get stable names through the headless
 * Service and one PersistentVolumeClaim per volume and replica (volumeClaimTemplates). Claims
 * are retained on deletion and scale-down unless the component says otherwise. @internal
 */
export function renderStatefulSet(c: PlanComponent, s: PlanStateful, template: Plain<k8s.PodTemplateSpec>, metadata: any): any {
  return object<k8s.KubeStatefulSetProps>('apps/v1', 'StatefulSet', {
    metadata,
    spec: {
      ...(c.replicas !== undefined ? { replicas: c.replicas } : {}),
      serviceName: s.headlessServiceName,
      podManagementPolicy: s.podManagementPolicy,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: s.whenDeleted, whenScaled: s.whenScaled },
      revisionHistoryLimit: 5,
      selector: { matchLabels: c.labels },
      template,
      volumeClaimTemplates: s.volumes.map(v => ({
        metadata: { name: v.name, labels: c.labels },
        spec: {
          accessModes: v.accessModes,
          ...(v.storageClass ? { storageClassName: v.storageClass } : {}),
          resources: { requests: { storage: v.size } },
        },
      })),
    },
  });
}

/**
 * The headless Service (`clusterIP: None`) a StatefulSet names: DNS records per pod
 * (`<pod>.<service>.<namespace>.svc`), published before the pods are ready so that members can
 * find each other while they bootstrap. Ports: the peer ports, then the endpoints'. @internal
 */
export function renderHeadlessService(cell: Cell, c: PlanComponent): any[] {
  const s = c.stateful;
  if (!s) return [];
  const ports = [
    ...s.peerPorts.map(port => ({ name: `peer-${port}`, port, targetPort: port, protocol: 'TCP' })),
    ...c.endpoints.filter(e => !s.peerPorts.includes(e.targetPort) || e.protocol !== 'TCP')
      .map(e => ({ name: e.portName, port: e.targetPort, targetPort: e.targetPort, protocol: e.protocol })),
  ];
  return [object<k8s.KubeServiceProps>('v1', 'Service', {
    metadata: componentMetadata(cell, c, s.headlessServiceName),
    // the generated binding spells the field clusterIp; the API's name is clusterIP
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: c.labels,
      ...(ports.length > 0 ? { ports } : {}),
    } as any,
  })];
}
