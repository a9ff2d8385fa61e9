// `devenv up --k8s --watch`: after the `up --k8s` pipeline, the watch loop
// with the Kubernetes target (the manifests directory is watched too).
import type { AppContext } from '../context.ts';
import { DevenvError, ExitCode } from '../errors.ts';
import { buildImageStep } from '../pipelines/steps/build-image.step.ts';
import type { K8sContext } from '../pipelines/k8s-context.ts';
import { K8sWatchTarget } from './k8s-target.ts';
import { runWatch, type ChangeOutcome } from './watch-loop.ts';
import { requireBuiltImage, watchLayout } from './watch.compose.ts';

export async function watchK8s(app: AppContext, ctx: K8sContext, signal: AbortSignal): Promise<ChangeOutcome[]> {
  if (ctx.target.existingCluster) {
    throw new DevenvError('--watch needs the kind cluster devenv owns: it loads new images into it.', { exitCode: ExitCode.usage, hint: 'drop --kubeconfig / DEVENV_KUBECONFIG / DEVENV_KUBE_CONTEXT, or run without --watch.' });
  }
  const target = new K8sWatchTarget(ctx, requireBuiltImage(ctx));
  return runWatch({
    app,
    target,
    layout: watchLayout(app, { manifestsDir: ctx.manifestsDir }),
    buildImage: async () => {
      await buildImageStep.run(ctx, { report: (line) => app.output.debug(line) });
      return requireBuiltImage(ctx);
    },
    signal,
    print: (line) => app.output.info(line),
    answerTimeoutMs: 120_000,
    onOutcome: (o) => {
      if (app.output.json) app.output.event({ event: 'watch', ...o });
    },
  });
}
