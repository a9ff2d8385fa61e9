// `devenv up --k8s`: preflight, keys, manifests rendered and checked, the node
// image (the same content-hash tag as Compose), the kind cluster, then in
// parallel metrics-server and the images, then the apply phases, the
// rollouts, the Metrics API (metrics-server warms up while the workloads
// roll out) and the smoke check. Nothing is created before the preflight and the
// manifest check pass. A warm run whose cluster is exactly as the last `up`
// left it (one `kubectl get`: cli/k8s/apply-record.ts) skips the loads, the
// apply and the waits, and still runs the smoke check.
import { nodeImageRef } from '../k8s/images.ts';
import type { K8sContext } from './k8s-context.ts';
import type { PipelineItem, Step } from './pipeline.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { buildImageStep, bundleNodeStep } from './steps/build-image.step.ts';
import { devSecretsStep } from './steps/dev-secrets.step.ts';
import { k8sApplySteps } from './steps/k8s-apply.step.ts';
import { k8sClusterStep } from './steps/k8s-cluster.step.ts';
import { k8sLoadImageStep } from './steps/k8s-load-image.step.ts';
import { k8sMetricsApiStep, k8sMetricsServerStep } from './steps/k8s-metrics-server.step.ts';
import { k8sPreflightStep } from './steps/k8s-preflight.step.ts';
import { k8sPreloadImagesStep } from './steps/k8s-preload-images.step.ts';
import { k8sRenderStep } from './steps/k8s-render.step.ts';
import { k8sRolloutStep } from './steps/k8s-rollout.step.ts';
import { k8sSmokeStep } from './steps/k8s-smoke.step.ts';
import { k8sUnchangedStep } from './steps/k8s-unchanged.step.ts';
import { k8sRecordApplyStep } from './steps/k8s-record-apply.step.ts';

export interface K8sUpPipelineOptions {
  /** Replaces the shared bundle + build steps (tests, or a caller with its own image). */
  buildSteps?: Array<Step<K8sContext>>;
}

/** The existing-cluster case builds nothing: no image is loaded into a cluster devenv does not own. */
function unlessExistingCluster(step: Step<PipelineContext>): Step<K8sContext> {
  return {
    ...step,
    skip: (ctx) => (ctx.target.existingCluster ? `existing cluster: devenv loads no image into it; the manifests run ${nodeImageRef(ctx)} as the cluster finds it` : step.skip ? step.skip(ctx) : false),
  };
}

/** Nothing to load, apply or wait for when the cluster is as the last `up` left it (k8sUnchangedStep). */
function unlessUnchanged(step: Step<K8sContext>): Step<K8sContext> {
  return { ...step, skip: (ctx) => ctx.unchanged ?? (step.skip ? step.skip(ctx) : false) };
}

export function k8sUpPipeline(opts: K8sUpPipelineOptions = {}): Array<PipelineItem<K8sContext>> {
  return [
    k8sPreflightStep(),
    devSecretsStep<K8sContext>((ctx) => [ctx.secretsFile]),
    k8sRenderStep,
    ...(opts.buildSteps ?? [unlessExistingCluster(bundleNodeStep), unlessExistingCluster(buildImageStep)]),
    k8sClusterStep,
    k8sUnchangedStep,
    { name: 'Prepare the cluster', concurrent: true, steps: [k8sMetricsServerStep, k8sLoadImageStep, k8sPreloadImagesStep].map(unlessUnchanged) },
    ...k8sApplySteps().map(unlessUnchanged),
    unlessUnchanged(k8sRolloutStep),
    k8sMetricsApiStep,
    k8sSmokeStep,
    k8sRecordApplyStep,
  ];
}

/** Only what touches the API server: render, check, apply. For a cluster devenv does not own (e.g. a bare kube-apiserver). */
export function k8sApplyPipeline(): Array<PipelineItem<K8sContext>> {
  return [k8sPreflightStep('devenv up --k8s', { docker: false, kind: false, ports: false }), devSecretsStep<K8sContext>((ctx) => [ctx.secretsFile]), k8sRenderStep, ...k8sApplySteps()];
}
