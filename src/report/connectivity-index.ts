// Pods by namespace and by label value: the pods worth testing against a rule's pod matcher,
// without a scan of every pod for every source (the connectivity evaluation's index).
import { Pod, PodPeer } from './connectivity-model';

const NONE: readonly Pod[] = [];

export class PodIndex {
  private readonly byNamespace = new Map<string, Pod[]>();
  /** label key → label value → pods with it (own labels), in pod order; built per key on first use. */
  private readonly byLabel = new Map<string, Map<unknown, Pod[]>>();

  constructor(private readonly pods: readonly Pod[]) {
    for (const pod of pods) {
      const list = this.byNamespace.get(pod.identity.namespace);
      if (list) list.push(pod);
      else this.byNamespace.set(pod.identity.namespace, [pod]);
    }
  }

  /** How many pods there are. */
  get size(): number {
    return this.pods.length;
  }

  /** The pods of `namespace`, in pod order. */
  inNamespace(namespace: string): readonly Pod[] {
    return this.byNamespace.get(namespace) ?? NONE;
  }

  /** Every pod `peer` (a rule's peer, or a policy's subject) can match (and maybe others), in pod order. */
  candidates(peer: Pick<PodPeer, 'namespace' | 'label'>): readonly Pod[] {
    const scoped = peer.namespace === undefined ? this.pods : this.inNamespace(peer.namespace);
    if (peer.label === undefined) return scoped;
    const labelled = this.withLabel(peer.label[0]).get(peer.label[1]) ?? NONE;
    return labelled.length < scoped.length ? labelled : scoped;
  }

  private withLabel(key: string): Map<unknown, Pod[]> {
    let byValue = this.byLabel.get(key);
    if (byValue === undefined) {
      byValue = new Map();
      for (const pod of this.pods) {
        const labels = pod.identity.labels;
        if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
        const list = byValue.get(labels[key]);
        if (list) list.push(pod);
        else byValue.set(labels[key], [pod]);
      }
      this.byLabel.set(key, byValue);
    }
    return byValue;
  }
}
