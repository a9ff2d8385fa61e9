// `devenv status --k8s`: pods, PVCs, HPAs (rows: cli/k8s/status-rows.ts)
// and the chain height the API reports through kind's port mapping; each
// node pod's own height and peers (`blockchain-node healthcheck --json`).
import type { AppContext } from '../context.ts';
import { DevenvError } from '../errors.ts';
import { formatTable } from '../output.ts';
import { apiBase, fetchHeight } from '../k8s/node-api.ts';
import { hpaRows, nodeContainers, podRows, pvcRows, type HpaRow, type PodRow, type PvcRow } from '../k8s/status-rows.ts';
import { parseHealthcheckJson } from '../adapters/node-api.ts';
import { kindClusterHostPorts } from '../adapters/host-ports.ts';
import { publishedKindHostPorts } from '../k8s/kind-ports.ts';
import { createK8sContext, type K8sDeps } from '../pipelines/k8s-context.ts';

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
        hint: ctx.target.existingCluster ? 'check the kubeconfig/context (DEVENV_KUBECONFIG, DEVENV_KUBE_CONTEXT).' : `is the kind cluster up? \`devenv up --k8s\` creates it (\`kind get clusters\` lists clusters).`,
      });
    }
    return JSON.parse(res.stdout);
  };
  // In parallel; a failure is reported for the first kind in this order, as if read one by one.
  const settled = await Promise.allSettled([get('pods'), get('persistentvolumeclaims'), get('horizontalpodautoscalers')]);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [pods, pvcs, hpas] = settled.map((r) => (r as PromiseFulfilledResult<any>).value);
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
  if (!ctx.target.existingCluster && !app.args.dryRun) {
    const published = publishedKindHostPorts(await kindClusterHostPorts(ctx.docker, ctx.kind.name).catch(() => []));
    if (published.api !== undefined) ctx.hostPorts = { api: published.api, webserverP2p: published.webserverP2p ?? app.config.ports.webserverP2p };
  }
  if (ctx.target.existingCluster) apiError = 'existing cluster: no host port mapping to ask';
  else if (!app.args.dryRun) {
    try {
      height = await fetchHeight(ctx);
    } catch (err) {
      apiError = (err as Error).message;
    }
  }
  return { target: ctx.target.description, namespace: ns, pods: rows, pvcs: pvcRows(pvcs), hpas: hpaRows(hpas), api: apiBase(ctx), height, apiError };
}

export async function statusK8s(app: AppContext, argv: { kubeconfig?: string }): Promise<void> {
  const data = await k8sStatus(app, { kubeconfig: argv.kubeconfig });
  if (!app.args.dryRun) app.output.result(formatK8sStatus(data), data);
}
