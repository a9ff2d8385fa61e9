// `devenv up --k8s`: the pipeline (cli/pipelines/k8s-up.pipeline.ts), then
// the endpoints and the summary. Loaded only when the command runs.
import { relative } from 'node:path';
import type { AppContext } from '../context.ts';
import { formatTable } from '../output.ts';
import { NODE_PORTS, bindAddress } from '../k8s/kind-config.ts';
import { nodeImageRef } from '../k8s/images.ts';
import { apiBase } from '../k8s/node-api.ts';
import { createK8sContext, type K8sContext, type K8sDeps } from '../pipelines/k8s-context.ts';
import { k8sUpPipeline, type K8sUpPipelineOptions } from '../pipelines/k8s-up.pipeline.ts';
import { runPipeline } from '../pipelines/pipeline.ts';
import type { PipelineContext } from '../pipelines/pipeline-context.ts';

export interface K8sUpOptions extends K8sUpPipelineOptions {
  /** --kubeconfig: apply to an existing cluster instead of kind. */
  kubeconfig?: string;
  /** Seconds per rollout (and the smoke check's bound, at most 180). */
  timeoutSeconds?: number;
  deps?: Partial<K8sDeps>;
  /** An existing PipelineContext to extend (its Docker engine is reused). */
  base?: PipelineContext;
}

export interface K8sEndpoint {
  what: string;
  address: string;
  via: string;
}

function k8sEndpoints(ctx: K8sContext): K8sEndpoint[] {
  const host = bindAddress(ctx.app.env);
  const kubectl = ['kubectl', ...ctx.kubectl.argv(['-n', ctx.namespace, 'get', 'pods'])].join(' ');
  if (ctx.target.existingCluster) {
    return [
      { what: 'HTTP API', address: `kubectl port-forward -n ${ctx.namespace} svc/webserver-service ${ctx.app.config.ports.api}:8080`, via: 'webserver-service' },
      { what: 'kubectl', address: kubectl, via: ctx.target.description },
    ];
  }
  return [
    { what: 'HTTP API', address: `${apiBase(ctx)}/api/v1/blockchain`, via: `webserver-service NodePort ${NODE_PORTS.api}` },
    { what: 'webserver P2P', address: `${host}:${ctx.hostPorts?.webserverP2p ?? ctx.app.config.ports.webserverP2p}`, via: `webserver-service 2101 -> 2001, NodePort ${NODE_PORTS.webserverP2p}` },
    { what: 'kubectl', address: kubectl, via: ctx.target.description },
  ];
}

export interface K8sUpResult {
  text: string;
  data: Record<string, unknown>;
  /** The pipeline's context (`up --watch` goes on with it). */
  ctx: K8sContext;
}

/** Runs the pipeline; returns the summary to print (null under --dry-run: the plan is the output). */
export async function runK8sUp(app: AppContext, opts: K8sUpOptions = {}): Promise<K8sUpResult | null> {
  const ctx = createK8sContext(app, opts);
  await runPipeline(k8sUpPipeline(opts), ctx, app.output);
  if (app.args.dryRun) return null;
  const endpoints = k8sEndpoints(ctx);
  const table = formatTable(['ENDPOINT', 'ADDRESS', 'VIA'], endpoints.map((e) => [e.what, e.address, e.via]));
  const image = nodeImageRef(ctx);
  return {
    text: `Kubernetes network up on ${ctx.target.description}, namespace ${ctx.namespace} (image ${image}${ctx.smoke ? `; height ${ctx.smoke.height}` : ''}).\n\n${table}\n\nManifests: ${relative(app.cwd, ctx.manifestsDir) || '.'}; \`devenv status --k8s\` for pods, PVCs and HPAs.`,
    data: { ok: true, target: ctx.target.description, namespace: ctx.namespace, image, height: ctx.smoke?.height ?? null, loadedImages: ctx.loadedImages, endpoints },
    ctx,
  };
}

export async function upK8s(app: AppContext, argv: { timeout?: number; kubeconfig?: string }): Promise<K8sContext | null> {
  const res = await runK8sUp(app, { kubeconfig: argv.kubeconfig, timeoutSeconds: argv.timeout });
  if (res) app.output.result(res.text, res.data);
  return res?.ctx ?? null;
}
