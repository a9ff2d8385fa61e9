// State shared by the steps of the Kubernetes pipelines, and where they aim:
// the kind cluster devenv owns (context kind-<cluster>), or an existing
// cluster named by DEVENV_KUBECONFIG / --kubeconfig / DEVENV_KUBE_CONTEXT,
// in which case kind is never touched (DEVENV_K8S_SKIP_KIND=1 says the same
// for kubectl's current context).
import { join } from 'node:path';
import type { AppContext } from '../context.ts';
import { configPath } from '../config.ts';
import { devenvCacheDir } from '../../scripts/kind.mjs';
import { KindCluster, type KindEngine } from '../adapters/kind.ts';
import { Kubectl, type KubeTarget, type KubectlEngine } from '../adapters/kubectl.ts';
import { portState, type PortState } from '../adapters/ports.ts';
import { createPipelineContext, type PipelineContext } from './pipeline-context.ts';
import type { ApplyPhase } from '../k8s/apply-phases.ts';
import type { K8sObject, ManifestObject } from '../manifests/objects.ts';
import type { KustomizeRenderer, Renderer } from '../manifests/render.ts';
import type { KindNodeImage } from '../k8s/kind-node-image.ts';
import type { KindHostPorts } from '../k8s/kind-ports.ts';
import type { ApplyRecord, LiveObject } from '../k8s/apply-record.ts';
import type { CommandResult } from '../adapters/exec.ts';
import { httpGet, type FetchLike } from '../adapters/node-api.ts';
import { ensureKindDockerShim, kindShimEnv, probePrivilegedContainers, type PrivilegedProbe } from '../adapters/kind-docker-shim.ts';

export interface K8sTargetInfo {
  kube: KubeTarget;
  /** True: an existing cluster; no kind create, no image loading, no metrics-server install. */
  existingCluster: boolean;
  /** For messages: "kind cluster devenv (context kind-devenv)". */
  description: string;
}

export function resolveK8sTarget(app: AppContext, opts: { kubeconfig?: string } = {}): K8sTargetInfo {
  const env = app.env;
  const kubeconfig = opts.kubeconfig || env.DEVENV_KUBECONFIG || undefined;
  const context = env.DEVENV_KUBE_CONTEXT || undefined;
  const existingCluster = env.DEVENV_K8S_SKIP_KIND === '1' || Boolean(kubeconfig) || Boolean(context);
  if (!existingCluster) {
    const kindContext = `kind-${app.config.clusterName}`;
    return { kube: { context: kindContext }, existingCluster: false, description: `kind cluster ${app.config.clusterName} (context ${kindContext})` };
  }
  const parts = [kubeconfig ? `kubeconfig ${kubeconfig}` : null, context ? `context ${context}` : 'its current context'].filter(Boolean);
  return { kube: { kubeconfig, context }, existingCluster: true, description: `existing cluster (${parts.join(', ')})` };
}

/** Seams the tests replace: how kind is found, how HTTP is spoken, how time passes. */
export interface K8sDeps {
  /** Path of the kind binary (exit 3 DevenvError when there is none). */
  resolveKind(app: AppContext): Promise<string>;
  fetch: FetchLike;
  sleep(ms: number): Promise<void>;
  /** Whether a host port is free (and who holds it when not). */
  portState(port: number): Promise<PortState>;
}

export interface K8sContext extends PipelineContext {
  target: K8sTargetInfo;
  kubectl: KubectlEngine;
  kind: KindEngine;
  namespace: string;
  manifestsDir: string;
  addonDir: string;
  secretsFile: string;
  timeoutSeconds: number;
  deps: K8sDeps;
  rendered?: { objects: ManifestObject[]; renderer: Renderer; phases: ApplyPhase[] };
  /** `kubectl kustomize` of the manifests, started by the preflight when its inputs are all there (the render step uses it). */
  kustomize?: KustomizeRenderer;
  /** The metrics-server addon, rendered, with the image devenv runs (images.metricsServer or the node image's). */
  addon?: { objects: K8sObject[]; images: string[] };
  /** The kind node image and what it asks of the cluster config (preflight, kind target only). */
  kindNode?: KindNodeImage;
  /** Whether this Docker host starts privileged containers (preflight, kind target only). */
  privileged?: PrivilegedProbe;
  /**
   * The host ports the kind cluster publishes the webserver NodePorts on:
   * chosen by the preflight for a new cluster, read from an existing one's
   * node container (cli/k8s/kind-ports.ts). Unset: an existing cluster (kubeconfig).
   */
  hostPorts?: KindHostPorts;
  /** `kind get clusters` listed the cluster (false under --dry-run: the plan shows the cold path). */
  clusterExists?: boolean;
  loadedImages: string[];
  /** What the apply step applied: the hash of the apply and each object's UID and devenv fields (recorded after the smoke check). */
  applied?: { hash: string; objects: LiveObject[]; lookup: string };
  /** The record of the last apply to this context (null: none), read once (cli/pipelines/k8s-live.ts). */
  lastApply?: ApplyRecord | null;
  /** `kubectl get` of what the last `up` applied, started by the preflight (cli/pipelines/k8s-live.ts). */
  liveLookup?: { lookup: string; result: Promise<CommandResult> };
  /** metrics-server was applied by this run: the Metrics API is waited for after the rollouts. */
  metricsApiPending?: boolean;
  /** The cluster's copies of the objects to apply, as the compare step read them (none for a new cluster). */
  live?: LiveObject[];
  /** Set when the cluster is exactly as the last `up` left it: why the apply, loads and waits are skipped. */
  unchanged?: string;
  smoke?: { url: string; height: number };
  /**
   * What `down --k8s` deleted: the rendered objects (`statefulset.apps/miner`,
   * as kubectl reported them), the namespace and its PVCs (--volumes), or the
   * kind cluster (--cluster).
   */
  deleted?: { objects: string[]; namespace?: string; pvcs: string[]; cluster?: string };
  /** What `down --k8s` (without --volumes) kept: the namespace and its PVCs. */
  kept?: { namespace: string; pvcs: string[] };
}

/** The flags of `devenv down --k8s`, for the steps that decide what goes. */
export interface K8sDownFlags {
  /** --cluster: the kind cluster is deleted (everything in it). */
  cluster: boolean;
  /** --volumes: the namespace is deleted, its PVCs with it. */
  volumes?: boolean;
}

export const defaultK8sDeps: K8sDeps = {
  async resolveKind(app) {
    if (app.args.dryRun) return app.env.KIND || 'kind';
    const { resolveKindBinary } = await import('../adapters/kind-binary.ts');
    return (await resolveKindBinary({ env: app.env, log: (l) => app.output.info(l) })).path;
  },
  fetch: httpGet,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  portState: (port) => portState(port),
};

export function createK8sContext(app: AppContext, opts: { kubeconfig?: string; timeoutSeconds?: number; deps?: Partial<K8sDeps>; base?: PipelineContext } = {}): K8sContext {
  const target = resolveK8sTarget(app, opts);
  const manifestsDir = configPath(app.config, app.config.manifests);
  const deps: K8sDeps = { ...defaultK8sDeps, ...opts.deps };
  // kind runs through the docker shim on a host that cannot start privileged
  // containers (and only kind does). The preflight probes before kind creates
  // a cluster; for an existing one the probe (a container started, a few
  // hundred ms) runs once, when kind first has to touch the node, so a warm
  // `up` that loads nothing never pays for it.
  let probe: Promise<PrivilegedProbe> | undefined;
  const kindEnvironment = async ({ nodes }: { nodes: boolean }) => {
    if (nodes && !ctx.privileged && !app.args.dryRun && !target.existingCluster) {
      ctx.privileged = await (probe ??= probePrivilegedContainers(ctx.docker, app.config.images.kindNode || null));
    }
    return ctx.privileged?.verdict === 'blocked' ? kindShimEnv(ensureKindDockerShim(devenvCacheDir(app.env)), app.env) : {};
  };
  const ctx: K8sContext = {
    ...(opts.base ?? createPipelineContext(app)),
    target,
    kubectl: new Kubectl(app.runner, target.kube, 'kubectl', { file: join(devenvCacheDir(app.env), 'kubectl-version.json'), env: app.env }),
    // Found on first use (the preflight's), through deps: $KIND, PATH, the cache, or the pinned download.
    kind: new KindCluster(app.runner, app.config.clusterName, () => deps.resolveKind(app), kindEnvironment),
    namespace: app.config.namespace,
    manifestsDir,
    addonDir: join(manifestsDir, 'addons', 'metrics-server'),
    secretsFile: join(manifestsDir, 'secrets.env'),
    timeoutSeconds: opts.timeoutSeconds ?? 300,
    deps,
    loadedImages: [],
  };
  return ctx;
}

/** The metrics-server addon objects `up --k8s` installs (none into an existing cluster). */
export function installedAddon(ctx: K8sContext): K8sObject[] | null {
  return ctx.addon && !ctx.target.existingCluster ? ctx.addon.objects : null;
}

/** The kubectl context an apply goes to, as the record names it (the kubeconfig file too, when one is given). */
export function kubeContextName(ctx: K8sContext): string {
  const { context, kubeconfig } = ctx.target.kube;
  return [kubeconfig, context ?? '(current context)'].filter(Boolean).join(':');
}
