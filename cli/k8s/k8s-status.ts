// `devenv status --k8s`: pods (readiness, restarts, state), PVCs, HPAs
// (current/target per metric, replicas) and the chain height the API
// reports. The mapping from kubectl's JSON to rows is pure and unit-tested;
// k8sStatus only fetches.
import type { AppContext } from '../context.ts';
import { DevenvError } from '../errors.ts';
import { formatTable } from '../output.ts';
import { createK8sContext, type K8sDeps } from './k8s-context.ts';
import { apiBase, fetchHeight } from './node-api.ts';
import { parseHealthcheckJson } from '../adapters/node-api.ts';
import { parseImageRef } from './objects.ts';

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

export interface K8sStatusData {
  target: string;
  namespace: string;
  pods: PodRow[];
  pvcs: PvcRow[];
  hpas: HpaRow[];
  api: string;
  height: number | null;
  apiError: string | null;
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

export function formatK8sStatus(d: K8sStatusData): string {
  const parts: string[] = [];
  parts.push(`${d.target}, namespace ${d.namespace}`);
  const dash = (v: number | null) => (v === null ? '-' : v);
  parts.push(d.pods.length ? formatTable(['POD', 'ROLE', 'READY', 'STATUS', 'RESTARTS', 'HEIGHT', 'PEERS', 'IP'], d.pods.map((p) => [p.name, p.component, p.ready, p.status, p.restarts, dash(p.height), dash(p.peers), p.ip])) : 'no pods (run `devenv up --k8s`)');
  if (d.pvcs.length) parts.push(formatTable(['PVC', 'STATUS', 'CAPACITY', 'STORAGECLASS'], d.pvcs.map((c) => [c.name, c.status, c.capacity, c.storageClass])));
  if (d.hpas.length) parts.push(formatTable(['HPA', 'TARGET', 'REPLICAS', 'METRICS (current/target)'], d.hpas.map((h) => [h.name, h.target, h.replicas, h.metrics.map((m) => `${m.name} ${m.current}/${m.target}`).join(', ')])));
  parts.push(d.height !== null ? `chain height ${d.height} (${d.api}/api/v1/blockchain)` : `chain height unknown: ${d.api} did not answer (${d.apiError})`);
  return parts.join('\n\n');
}

export async function k8sStatus(app: AppContext, opts: { kubeconfig?: string; deps?: Partial<K8sDeps> } = {}): Promise<K8sStatusData> {
  const ctx = createK8sContext(app, opts);
  const ns = ctx.namespace;
  const get = async (what: string) => {
    const res = await ctx.kubectl.run(['get', what, '-n', ns, '-o', 'json'], { check: false, timeoutMs: 30_000 });
    if (res.dryRun) return null;
    if (res.exitCode !== 0) {
      throw new DevenvError(`cannot read ${what} from ${ctx.target.description}: ${(res.stderr || res.stdout).trim().split('\n').pop()}`, {
        hint: ctx.target.skipKind ? 'check the kubeconfig/context (DEVENV_KUBECONFIG, DEVENV_KUBE_CONTEXT).' : `is the kind cluster up? \`devenv up --k8s\` creates it (\`kind get clusters\` lists clusters).`,
      });
    }
    return JSON.parse(res.stdout);
  };
  const [pods, pvcs, hpas] = await Promise.all([get('pods'), get('persistentvolumeclaims'), get('horizontalpodautoscalers')]);
  const rows = podRows(pods);
  // Miners serve no HTTP: each node reports its own height and peers.
  await Promise.all(
    nodeContainers(pods, app.config.image.name).map(async ({ pod, container }) => {
      const res = await ctx.kubectl.run(['exec', '-n', ns, pod, '-c', container, '--', 'blockchain-node', 'healthcheck', '--json'], { check: false, timeoutMs: 15_000 });
      const health = res.dryRun ? null : parseHealthcheckJson(res.stdout);
      const row = rows.find((r) => r.name === pod);
      if (row && health) Object.assign(row, { height: health.height ?? null, peers: health.peers ?? null });
    }),
  );
  let height: number | null = null;
  let apiError: string | null = null;
  if (ctx.target.skipKind) apiError = 'existing cluster: no host port mapping to ask';
  else if (!app.args.dryRun) {
    try {
      height = await fetchHeight(ctx);
    } catch (err) {
      apiError = (err as Error).message;
    }
  }
  return { target: ctx.target.description, namespace: ns, pods: rows, pvcs: pvcRows(pvcs), hpas: hpaRows(hpas), api: apiBase(ctx), height, apiError };
}
