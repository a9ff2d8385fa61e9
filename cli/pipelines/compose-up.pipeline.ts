// `devenv up --compose`: preflight, keys, image, compose up, restarts for
// changed mounted config files, health, smoke.
import { composeDotEnvPath } from '../compose/compose-project.ts';
import type { ComposeContext } from './compose-context.ts';
import type { PipelineItem } from './pipeline.ts';
import { composePreflightStep } from './steps/compose-preflight.step.ts';
import { devSecretsStep } from './steps/dev-secrets.step.ts';
import { buildImageStep, bundleNodeStep } from './steps/build-image.step.ts';
import { composeUpStep } from './steps/compose-up.step.ts';
import { composeConfigRestartStep } from './steps/compose-config-restart.step.ts';
import { composeWaitHealthyStep } from './steps/compose-wait-healthy.step.ts';
import { composeSmokeStep } from './steps/compose-smoke.step.ts';

export function composeUpPipeline(): Array<PipelineItem<ComposeContext>> {
  return [
    composePreflightStep,
    devSecretsStep<ComposeContext>((ctx) => [composeDotEnvPath(ctx.app)]),
    bundleNodeStep,
    buildImageStep,
    composeUpStep,
    composeConfigRestartStep,
    composeWaitHealthyStep,
    composeSmokeStep,
  ];
}
