// `devenv up --k8s`: preflight, keys, manifests rendered and checked, the node
// image (the same content-hash tag as Compose), the kind cluster, then in
// parallel metrics-server and the images, then the apply phases, the rollouts
// and the smoke check. Nothing is created before the preflight and the
// manifest check pass.
import { relative } from 'node:path';
import type { AppContext } from '../context.ts';
import { formatTable } from '../output.ts';
import { NODE_PORTS, bindAddress } from '../k8s/kind-config.ts';
import { createK8sContext, type K8sContext, type K8sDeps } from '../k8s/k8s-context.ts';
import { runPipeline, type PipelineItem, type Step } from './pipeline.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { buildImageStep, bundleNodeStep } from './steps/build-image.step.ts';
import { devSecretsStep } from './steps/dev-secrets.step.ts';
import { k8sApplySteps } from './steps/k8s-apply.step.ts';
import { k8sClusterStep } from './steps/k8s-cluster.step.ts';
import { k8sLoadImageStep, nodeImageRef } from './steps/k8s-load-image.step.ts';
import { k8sMetricsServerStep } from './steps/k8s-metrics-server.step.ts';
import { k8sPreflightStep } from './steps/k8s-preflight.step.ts';
import { k8sPreloadImagesStep } from './steps/k8s-preload-images.step.ts';
import { k8sRenderStep } from './steps/k8s-render.step.ts';
import { k8sRolloutStep } from './steps/k8s-rollout.step.ts';
import { k8sSmokeStep } from './steps/k8s-smoke.step.ts';
import { apiBase } from '../k8s/node-api.ts';

export interface K8sUpOptions {
  /** --kubeconfig: apply to an existing cluster instead of kind. */
  kubeconfig?: string;
  /** Seconds per rollout (and the smoke check's bound, at most 180). */
  timeoutSeconds?: number;
  /** Replaces the shared bundle + build steps (tests, or a caller with its own image). */
  buildSteps?: Array<Step<K8sContext>>;
  deps?: Partial<K8sDeps>;
  /** An existing PipelineContext to extend (its DockerClient is reused). */
  base?: PipelineContext;
}

/** The existing-cluster case builds nothing: no image is loaded into a cluster devenv does not own. */
function unlessExistingCluster(step: Step<PipelineContext>): Step<K8sContext> {
  return {
    ...step,
    skip: (ctx) => (ctx.target.skipKind ? `existing cluster: devenv loads no image into it; the manifests run ${nodeImageRef(ctx)} as the cluster finds it` : step.skip ? step.skip(ctx) : false),
  };
}

export function k8sUpPipeline(opts: Pick<K8sUpOptions, 'buildSteps'> = {}): Array<PipelineItem<K8sContext>> {
  return [
    k8sPreflightStep(),
    devSecretsStep<K8sContext>((ctx) => [ctx.secretsFile]),
    k8sRenderStep,
    ...(opts.buildSteps ?? [unlessExistingCluster(bundleNodeStep), unlessExistingCluster(buildImageStep)]),
    k8sClusterStep,
    { name: 'Prepare the cluster', concurrent: true, steps: [k8sMetricsServerStep, k8sLoadImageStep, k8sPreloadImagesStep] },
    ...k8sApplySteps(),
    k8sRolloutStep,
    k8sSmokeStep,
  ];
}

/** Only what touches the API server: render, check, apply. For a cluster devenv does not own (e.g. a bare kube-apiserver). */
export function k8sApplyPipeline(): Array<PipelineItem<K8sContext>> {
  return [k8sPreflightStep('devenv up --k8s', { docker: false, kind: false, ports: false }), devSecretsStep<K8sContext>((ctx) => [ctx.secretsFile]), k8sRenderStep, ...k8sApplySteps()];
}

export interface K8sEndpoint {
  what: string;
  address: string;
  via: string;
}

export function k8sEndpoints(ctx: K8sContext): K8sEndpoint[] {
  const host = bindAddress(ctx.app.env);
  const kubectl = ['kubectl', ...ctx.kubectl.argv(['-n', ctx.namespace, 'get', 'pods'])].join(' ');
  if (ctx.target.skipKind) {
    return [
      { what: 'HTTP API', address: `kubectl port-forward -n ${ctx.namespace} svc/webserver-service ${ctx.app.config.ports.api}:8080`, via: 'webserver-service' },
      { what: 'kubectl', address: kubectl, via: ctx.target.description },
    ];
  }
  return [
    { what: 'HTTP API', address: `${apiBase(ctx)}/api/v1/blockchain`, via: `webserver-service NodePort ${NODE_PORTS.api}` },
    { what: 'webserver P2P', address: `${host}:${ctx.app.config.ports.webserverP2p}`, via: `webserver-service 2101 -> 2001, NodePort ${NODE_PORTS.webserverP2p}` },
    { what: 'kubectl', address: kubectl, via: ctx.target.description },
  ];
}

export interface K8sUpResult {
  text: string;
  data: Record<string, unknown>;
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
  };
}
