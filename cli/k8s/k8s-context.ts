// State shared by the steps of the Kubernetes pipelines, and where they aim:
// the kind cluster devenv owns (context kind-<cluster>), or an existing
// cluster named by DEVENV_KUBECONFIG / --kubeconfig / DEVENV_KUBE_CONTEXT,
// in which case kind is never touched (DEVENV_K8S_SKIP_KIND=1 says the same
// for kubectl's current context).
import { join } from 'node:path';
import type { AppContext } from '../context.ts';
import { configPath } from '../config.ts';
import { KindCluster } from '../adapters/kind.ts';
import { Kubectl, type KubeTarget } from '../adapters/kubectl.ts';
import { portState, type PortState } from '../adapters/ports.ts';
import { createPipelineContext, type PipelineContext } from '../pipelines/pipeline-context.ts';
import type { ApplyPhase } from './apply-phases.ts';
import type { ManifestObject } from '../manifests/objects.ts';
import type { Renderer } from '../manifests/render.ts';

export interface K8sTargetInfo {
  kube: KubeTarget;
  /** True: an existing cluster; no kind create, no image loading, no metrics-server install. */
  skipKind: boolean;
  /** For messages: "kind cluster devenv (context kind-devenv)". */
  description: string;
}

export function resolveK8sTarget(app: AppContext, opts: { kubeconfig?: string } = {}): K8sTargetInfo {
  const env = app.env;
  const kubeconfig = opts.kubeconfig || env.DEVENV_KUBECONFIG || undefined;
  const context = env.DEVENV_KUBE_CONTEXT || undefined;
  const skipKind = env.DEVENV_K8S_SKIP_KIND === '1' || Boolean(kubeconfig) || Boolean(context);
  if (!skipKind) {
    const kindContext = `kind-${app.config.clusterName}`;
    return { kube: { context: kindContext }, skipKind: false, description: `kind cluster ${app.config.clusterName} (context ${kindContext})` };
  }
  const parts = [kubeconfig ? `kubeconfig ${kubeconfig}` : null, context ? `context ${context}` : 'its current context'].filter(Boolean);
  return { kube: { kubeconfig, context }, skipKind: true, description: `existing cluster (${parts.join(', ')})` };
}

/** Seams the tests replace: how kind is found, how HTTP is spoken, how time passes. */
export interface K8sDeps {
  /** Path of the kind binary (exit 3 DevenvError when there is none). */
  resolveKind(app: AppContext): Promise<string>;
  fetch: typeof fetch;
  sleep(ms: number): Promise<void>;
  /** Whether a host port is free (and who holds it when not). */
  portState(port: number): Promise<PortState>;
}

export interface K8sContext extends PipelineContext {
  target: K8sTargetInfo;
  kubectl: Kubectl;
  kind: KindCluster;
  namespace: string;
  manifestsDir: string;
  addonDir: string;
  secretsFile: string;
  timeoutSeconds: number;
  deps: K8sDeps;
  rendered?: { objects: ManifestObject[]; renderer: Renderer; phases: ApplyPhase[] };
  addonImages?: string[];
  /** `kind get clusters` listed the cluster (false under --dry-run: the plan shows the cold path). */
  clusterExists?: boolean;
  loadedImages: string[];
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

export const defaultK8sDeps: K8sDeps = {
  async resolveKind(app) {
    if (app.args.dryRun) return app.env.KIND || 'kind';
    const { resolveKindBinary } = await import('../adapters/kind-binary.ts');
    return (await resolveKindBinary({ env: app.env, log: (l) => app.output.info(l) })).path;
  },
  fetch: (...a) => fetch(...a),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  portState: (port) => portState(port),
};

export function createK8sContext(app: AppContext, opts: { kubeconfig?: string; timeoutSeconds?: number; deps?: Partial<K8sDeps>; base?: PipelineContext } = {}): K8sContext {
  const target = resolveK8sTarget(app, opts);
  const manifestsDir = configPath(app.config, app.config.manifests);
  return {
    ...(opts.base ?? createPipelineContext(app)),
    target,
    kubectl: new Kubectl(app.runner, target.kube),
    kind: new KindCluster(app.runner, app.config.clusterName, app.env.KIND || 'kind'),
    namespace: app.config.namespace,
    manifestsDir,
    addonDir: join(manifestsDir, 'addons', 'metrics-server'),
    secretsFile: join(manifestsDir, 'secrets.env'),
    timeoutSeconds: opts.timeoutSeconds ?? 300,
    deps: { ...defaultK8sDeps, ...opts.deps },
    loadedImages: [],
  };
}
