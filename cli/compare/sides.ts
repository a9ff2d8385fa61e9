// The two environments as `devenv compare` sees them: where each one's API
// answers, which keys it reads, its nodes (each reports itself with
// `blockchain-node healthcheck --json`, run inside its container or pod), and
// what compare may do to it (bounce one node; down and up). Compose through
// Docker and its Compose CLI; Kubernetes through kubectl and kind's mapping.
import { join } from 'node:path';
import type { AppContext } from '../context.ts';
import { configPath } from '../config.ts';
import { devSecretsIn } from '../dev-secrets.ts';
import { parseHealthcheckJson } from '../adapters/node-api.ts';
import { kindClusterHostPorts } from '../adapters/host-ports.ts';
import { createPipelineContext } from '../pipelines/pipeline-context.ts';
import { createK8sContext } from '../pipelines/k8s-context.ts';
import { composeDotEnvPath, openCompose } from '../compose/compose-project.ts';
import { bindAddress } from '../k8s/kind-config.ts';
import { publishedKindHostPorts } from '../k8s/kind-ports.ts';
import { parseImageRef } from '../manifests/image-ref.ts';
import { runtimeNode, type RuntimeNode } from './observations.ts';
import type { SideControl } from './probes.ts';

export interface CompareSide extends SideControl {
  side: 'compose' | 'kubernetes';
  /** For messages: "Compose project devenv", "kind cluster devenv, namespace blockchain". */
  label: string;
  apiBase: string;
  keys: { wallet?: string };
  nodes(): Promise<RuntimeNode[]>;
}

/** How compare brings a side up again (the commands' own functions, given a quiet app). */
export interface SideLifecycle {
  up(): Promise<void>;
  down(): Promise<void>;
}

const host = (env: NodeJS.ProcessEnv) => {
  const h = bindAddress(env);
  return h === '0.0.0.0' ? '127.0.0.1' : h;
};

const isNodeImage = (app: AppContext, image: string) => parseImageRef(image).name.split('/').pop() === app.config.image.name;

type Pairings = Array<{ compose: string; kubernetes: { name: string; ordinal: number | null } }>;

export async function composeSide(app: AppContext, lifecycle: SideLifecycle, pairings: Pairings): Promise<CompareSide> {
  const { docker } = createPipelineContext(app);
  const compose = await openCompose(app);
  const project = app.config.compose.project;
  const containers = async () => (await docker.listContainers({ label: [`com.docker.compose.project=${project}`] })).filter((c) => c.state === 'running');
  return {
    side: 'compose',
    label: `Compose project ${project}`,
    apiBase: `http://${host(app.env)}:${app.config.ports.api}`,
    keys: { wallet: devSecretsIn(composeDotEnvPath(app)).BITCOIN_API_WALLET_KEY },
    async nodes() {
      const all = await containers();
      const aliases = new Map<string, string>();
      for (const c of all) {
        const logical = c.service ?? c.name;
        for (const a of [c.service, c.name, c.id.slice(0, 12), ...(c.ips ?? [])]) if (a) aliases.set(a, logical);
      }
      const nodes = all.filter((c) => isNodeImage(app, c.image));
      return Promise.all(
        nodes.map(async (c) => {
          const res = await docker.exec(c.id, ['blockchain-node', 'healthcheck', '--json'], 15_000).catch(() => null);
          const service = c.service ?? c.name;
          return runtimeNode(service, service, res ? parseHealthcheckJson(res.stdout) : null, aliases, { group: pairings.find((p) => p.compose === service)?.kubernetes.name ?? service });
        }),
      );
    },
    async bounce(node) {
      await compose.run(['stop', node.name], { timeoutMs: 60_000 });
      await compose.run(['start', node.name], { timeoutMs: 60_000 });
    },
    async downUp() {
      await lifecycle.down();
      await lifecycle.up();
    },
  };
}

export async function kubernetesSide(app: AppContext, lifecycle: SideLifecycle, pairings: Pairings): Promise<CompareSide> {
  const ctx = createK8sContext(app);
  const ns = ctx.namespace;
  let apiPort = app.config.ports.api;
  if (!ctx.target.existingCluster) {
    const published = publishedKindHostPorts(await kindClusterHostPorts(ctx.docker, ctx.kind.name));
    if (published.api !== undefined) apiPort = published.api;
  }
  // A pod stands for the Compose service paired with its workload (and ordinal).
  const placeOf = (pod: string, owner: string | undefined) => {
    const m = /^(.*)-(\d+)$/.exec(pod);
    const group = owner ?? m?.[1] ?? pod;
    const ordinal = m ? Number(m[2]) : null;
    const exact = pairings.find((p) => p.kubernetes.name === group && (p.kubernetes.ordinal === null || p.kubernetes.ordinal === ordinal));
    if (exact) return { logical: exact.compose, group, extra: false };
    // A replica beyond those Compose has (webserver-1 where Compose runs webserver_1 alone, a miner an HPA added).
    const ofWorkload = pairings.filter((p) => p.kubernetes.name === group);
    return { logical: ofWorkload.length === 1 ? ofWorkload[0].compose : pod, group, extra: true };
  };
  const logicalOf = (pod: string, owner: string | undefined) => placeOf(pod, owner).logical;
  const pods = async () => {
    const res = await ctx.kubectl.run(['get', 'pods', '-n', ns, '-o', 'json'], { check: false, timeoutMs: 30_000 });
    if (res.exitCode !== 0) throw new Error(`kubectl get pods -n ${ns}: ${(res.stderr || res.stdout).trim().split('\n').pop()}`);
    return (JSON.parse(res.stdout).items ?? []) as any[];
  };
  return {
    side: 'kubernetes',
    label: `${ctx.target.description}, namespace ${ns}`,
    apiBase: `http://${host(app.env)}:${apiPort}`,
    keys: { wallet: devSecretsIn(join(configPath(app.config, app.config.manifests), 'secrets.env')).BITCOIN_API_WALLET_KEY },
    async nodes() {
      const items = await pods();
      const aliases = new Map<string, string>();
      const owner = (p: any) => p?.metadata?.ownerReferences?.[0]?.kind === 'StatefulSet' ? p.metadata.ownerReferences[0].name : p?.metadata?.labels?.app;
      for (const p of items) {
        const logical = logicalOf(p.metadata.name, owner(p));
        for (const a of [p.metadata.name, p.status?.podIP, p.spec?.hostname]) if (a) aliases.set(a, logical);
      }
      const running = items.filter((p) => p?.status?.phase === 'Running' && !p?.metadata?.deletionTimestamp);
      const out: RuntimeNode[] = [];
      await Promise.all(
        running.map(async (p) => {
          const c = (p.spec?.containers ?? []).find((c: any) => typeof c?.image === 'string' && isNodeImage(app, c.image));
          if (!c) return;
          const res = await ctx.kubectl.run(['exec', '-n', ns, p.metadata.name, '-c', c.name, '--', 'blockchain-node', 'healthcheck', '--json'], { check: false, timeoutMs: 15_000 });
          const place = placeOf(p.metadata.name, owner(p));
          out.push(runtimeNode(p.metadata.name, place.logical, res.exitCode === 0 || res.stdout ? parseHealthcheckJson(res.stdout) : null, aliases, place));
        }),
      );
      return out.sort((a, b) => a.name.localeCompare(b.name));
    },
    async bounce(node) {
      await ctx.kubectl.run(['delete', 'pod', '-n', ns, node.name, '--wait=true', '--timeout=90s'], { timeoutMs: 120_000 });
    },
    async downUp() {
      await lifecycle.down();
      await lifecycle.up();
    },
  };
}
