// The rows of `devenv status --k8s`: pods (readiness, restarts, state), PVCs
// and HPAs (current/target per metric, replicas), mapped from kubectl's JSON.
// Pure and unit-tested; the command (cli/commands/status.k8s.ts) fetches.
import { parseImageRef } from '../manifests/image-ref.ts';

export interface PodRow {
  name: string;
  component: string;
  ready: string;
  status: string;
  restarts: number;
  node: string;
  ip: string;
  /** The node's chain height and peer count (`blockchain-node healthcheck --json` in the pod); null when not a node pod or it did not answer. */
  height: number | null;
  peers: number | null;
}

export interface PvcRow {
  name: string;
  status: string;
  capacity: string;
  storageClass: string;
}

export interface HpaRow {
  name: string;
  target: string;
  replicas: string;
  metrics: Array<{ name: string; current: string; target: string }>;
}

/** The STATUS column as `kubectl get pods` shows it. */
export function podStatus(pod: any): string {
  if (pod?.metadata?.deletionTimestamp) return 'Terminating';
  const init: any[] = pod?.status?.initContainerStatuses ?? [];
  for (let i = 0; i < init.length; i++) {
    const s = init[i];
    if (s?.state?.terminated?.exitCode === 0) continue;
    const reason = s?.state?.waiting?.reason ?? s?.state?.terminated?.reason;
    return reason && reason !== 'PodInitializing' ? `Init:${reason}` : `Init:${i}/${init.length}`;
  }
  for (const s of pod?.status?.containerStatuses ?? []) {
    const reason = s?.state?.waiting?.reason ?? s?.state?.terminated?.reason;
    if (reason) return reason;
  }
  return pod?.status?.phase ?? 'Unknown';
}

export function podRows(list: any): PodRow[] {
  return (list?.items ?? []).map((p: any) => {
    const cs: any[] = p?.status?.containerStatuses ?? [];
    const total = (p?.spec?.containers ?? []).length || cs.length;
    return {
      name: p?.metadata?.name ?? '?',
      component: p?.metadata?.labels?.app ?? p?.metadata?.labels?.['app.kubernetes.io/component'] ?? '',
      ready: `${cs.filter((c) => c?.ready).length}/${total}`,
      status: podStatus(p),
      restarts: cs.reduce((n, c) => n + (c?.restartCount ?? 0), 0),
      node: p?.spec?.nodeName ?? '',
      ip: p?.status?.podIP ?? '',
      height: null,
      peers: null,
    };
  });
}

/** Running pods with a container of the node image: where `blockchain-node healthcheck` can run. */
export function nodeContainers(list: any, imageName: string): Array<{ pod: string; container: string }> {
  const out: Array<{ pod: string; container: string }> = [];
  for (const p of list?.items ?? []) {
    if (p?.status?.phase !== 'Running' || p?.metadata?.deletionTimestamp) continue;
    const c = (p?.spec?.containers ?? []).find((c: any) => typeof c?.image === 'string' && parseImageRef(c.image).name.split('/').pop() === imageName);
    if (c) out.push({ pod: p.metadata.name, container: c.name });
  }
  return out;
}

export function pvcRows(list: any): PvcRow[] {
  return (list?.items ?? []).map((c: any) => ({
    name: c?.metadata?.name ?? '?',
    status: c?.status?.phase ?? 'Unknown',
    capacity: c?.status?.capacity?.storage ?? c?.spec?.resources?.requests?.storage ?? '',
    storageClass: c?.spec?.storageClassName ?? '(default)',
  }));
}

function metricValue(m: any): string {
  const v = m?.current ?? m?.target ?? {};
  if (typeof v.averageUtilization === 'number') return `${v.averageUtilization}%`;
  return String(v.averageValue ?? v.value ?? '?');
}

export function hpaRows(list: any): HpaRow[] {
  return (list?.items ?? []).map((h: any) => {
    const current: any[] = h?.status?.currentMetrics ?? [];
    const metrics = (h?.spec?.metrics ?? []).map((m: any) => {
      const name = m?.resource?.name ?? m?.containerResource?.name ?? m?.type ?? '?';
      const cur = current.find((c) => (c?.resource?.name ?? c?.containerResource?.name) === name);
      const curVal = cur ? metricValue(cur.resource ?? cur.containerResource) : '<unknown>';
      return { name, current: curVal, target: metricValue({ target: (m?.resource ?? m?.containerResource)?.target }) };
    });
    const ref = h?.spec?.scaleTargetRef ?? {};
    return {
      name: h?.metadata?.name ?? '?',
      target: `${ref.kind}/${ref.name}`,
      replicas: `${h?.status?.currentReplicas ?? '?'} (min ${h?.spec?.minReplicas ?? 1}, max ${h?.spec?.maxReplicas ?? '?'})`,
      metrics,
    };
  });
}
