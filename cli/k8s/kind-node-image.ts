// The kind node image a cluster is created from, and what that image asks of
// the cluster config. A node image built by scripts/kind-node-image.sh has no
// public registry names in it: its labels say which local repository kubeadm
// must take its images from, which etcd tag it carries and which
// metrics-server image it preloads. A stock kindest/node image has none of
// these labels and needs nothing extra.

/** Labels scripts/kind-node-image.sh writes on the image it builds. */
export const NODE_IMAGE_LABELS = {
  imageRepository: 'dev.devenv.kind.image-repository',
  etcdImageTag: 'dev.devenv.kind.etcd-image-tag',
  metricsServerImage: 'dev.devenv.kind.metrics-server-image',
} as const;

export interface KindNodeImage {
  /** `kind create cluster --image`; null: kind's own default node image. */
  ref: string | null;
  /** Whether the local Docker has it (an offline machine must). */
  local: boolean;
  /** kubeadm ClusterConfiguration.imageRepository, when the image preloads local names. */
  imageRepository?: string;
  /** kubeadm ClusterConfiguration.etcd.local.imageTag. */
  etcdImageTag?: string;
  /** The metrics-server image the node preloads. */
  metricsServerImage?: string;
}

export function kindNodeImage(ref: string | null, labels: Record<string, string> | null): KindNodeImage {
  const label = (k: keyof typeof NODE_IMAGE_LABELS) => labels?.[NODE_IMAGE_LABELS[k]] || undefined;
  return {
    ref,
    local: labels !== null,
    imageRepository: label('imageRepository'),
    etcdImageTag: label('etcdImageTag'),
    metricsServerImage: label('metricsServerImage'),
  };
}

/**
 * The kubeadm ClusterConfiguration patch of every cluster devenv creates
 * (kind's `kubeadmConfigPatches`; kind v0.30 writes kubeadm v1beta3 for
 * Kubernetes 1.34, where extraArgs is a map):
 * - `enable-aggregator-routing`: the API server reaches extension API servers
 *   (metrics-server) at their endpoints' pod IPs instead of their ClusterIP.
 *   A connection it opens to a ClusterIP before kube-proxy has programmed that
 *   Service leaves the node by the default route, and the API server keeps
 *   that HTTP/2 connection for every later request: seen on a real kind
 *   cluster here, where every Metrics API call then answered 404. Pod IPs are
 *   always routed on the node's bridge.
 * - for a node image that preloads local names: kubeadm takes the control
 *   plane, CoreDNS, kube-proxy and etcd images from that repository, so
 *   nothing is pulled and nothing carries a public registry's name.
 */
export function kubeadmPatchesFor(node?: KindNodeImage): string[] {
  const lines = ['kind: ClusterConfiguration', 'apiServer:', '  extraArgs:', '    enable-aggregator-routing: "true"'];
  if (node?.imageRepository) lines.push(`imageRepository: ${node.imageRepository}`);
  if (node?.imageRepository && node.etcdImageTag) lines.push('etcd:', '  local:', `    imageTag: "${node.etcdImageTag}"`);
  return [`${lines.join('\n')}\n`];
}

/** One line for doctor and the preflight. */
export function describeKindNodeImage(node: KindNodeImage): string {
  if (!node.ref) return "kind's default node image (pulled from its registry on first use)";
  const where = node.local ? 'local' : 'not in the local Docker: kind will try to pull it';
  const offline = node.imageRepository ? `, built offline: kubeadm images from ${node.imageRepository}/` : '';
  return `${node.ref} (${where}${offline})`;
}
