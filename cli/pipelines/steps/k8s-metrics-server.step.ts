// metrics-server, so the HPAs have CPU and memory to act on. Skipped when
// it is already there as rendered and the Metrics API is Available
// (cli/k8s/addon-state.ts: one `kubectl get`). Otherwise installed from
// manifests/addons/metrics-server (written for kind); its image is loaded
// into kind first when the local Docker has it (applied before, the pod
// would try a registry and sit in image-pull back-off). The Metrics API
// needs the pod ready and a first scrape (--metric-resolution=15s): about a
// minute on a new cluster, so that wait is a step of its own after the
// rollouts (k8sMetricsApiStep), and the workloads roll out meanwhile.
import { DevenvError } from '../../errors.ts';
import { toYamlStream } from '../../k8s/apply-phases.ts';
import { done, pollUntil, waiting } from '../../adapters/poll.ts';
import { preloadImages } from '../../k8s/image-loading.ts';
import { addonNotPresent, addonProbeRefs, withAddonHash } from '../../k8s/addon-state.ts';
import type { K8sContext } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

export const METRICS_TIMEOUT_SECONDS = 180;
const POLL_MS = 5000;

export const k8sMetricsServerStep: Step<K8sContext> = {
  name: 'Install metrics-server',
  skip: (ctx) => (ctx.target.existingCluster ? `existing cluster: devenv installs metrics-server only into its kind cluster` : false),
  run: async (ctx, io) => {
    const { app } = ctx;
    const addon = ctx.addon;
    if (!addon) throw new DevenvError(`the metrics-server addon was not found at ${ctx.addonDir}.`, { hint: 'restore manifests/addons/metrics-server (it is part of the repository).' });
    const { objects, hash } = withAddonHash(addon.objects);
    if (!app.args.dryRun) {
      // Present, as rendered, and serving: nothing to load, apply or wait for.
      const live = await ctx.kubectl.getJson(addonProbeRefs(objects), 'kube-system', { check: false });
      const why = addonNotPresent(addon.objects, hash, live ? (live.kind === 'List' ? live.items : [live]) : []);
      if (!why) {
        io.report(`present: the Metrics API is Available, served by metrics-server as rendered (${addon.images.join(', ')}, hash ${hash})`);
        return;
      }
      io.report(`installing: ${why}`);
    }
    const loaded = await preloadImages(ctx, addon.images, (l) => io.report(l));
    if (loaded.length) io.report(loaded.join('; '));
    await ctx.kubectl.applyYaml(toYamlStream(objects), `metrics-server (Metrics API for the HPAs), image ${addon.images.join(', ')}`);
    ctx.metricsApiPending = true;
  },
};

/** After the rollouts: the Metrics API answers `kubectl top nodes`, with bounded retries (only when metrics-server was just applied). */
export const k8sMetricsApiStep: Step<K8sContext> = {
  name: 'Wait for the Metrics API',
  skip: (ctx) => (ctx.target.existingCluster ? 'existing cluster: devenv installs metrics-server only into its kind cluster' : ctx.unchanged ? ctx.unchanged : ctx.metricsApiPending ? false : 'metrics-server was already serving'),
  run: async (ctx, io) => {
    ctx.app.plan.record({ kind: 'wait', what: 'the Metrics API answers `kubectl top nodes`', timeoutSeconds: METRICS_TIMEOUT_SECONDS });
    const outcome = await pollUntil(
      async (i, attempts) => {
        const res = await ctx.kubectl.topNodes();
        if (res.dryRun) return done('');
        if (res.exitCode === 0 && res.stdout.trim()) return done(res.stdout.trim().split('\n').slice(1).join('; '));
        const last = (res.stderr || res.stdout).trim().split('\n').pop() ?? '';
        io.report(`waiting for the Metrics API (${i}/${attempts}): ${last}`);
        return waiting(last);
      },
      { timeoutMs: METRICS_TIMEOUT_SECONDS * 1000, intervalMs: POLL_MS, sleep: ctx.deps.sleep },
    );
    if (outcome.done) {
      if (outcome.value) io.report(outcome.value);
      return;
    }
    throw new DevenvError(`the Metrics API did not answer within ${METRICS_TIMEOUT_SECONDS}s (last: ${outcome.last || 'no output'}).`, {
      hint: `check the metrics-server pod: \`kubectl --context ${ctx.kind.context} -n kube-system get pods -l k8s-app=metrics-server\` and its logs; without a local copy of its image (${ctx.addon?.images.join(', ') ?? 'metrics-server'}) the kind node must pull it: pull it on the host so devenv loads it, or use a node image that preloads one (scripts/kind-node-image.sh, DEVENV_METRICS_SERVER_IMAGE).`,
    });
  },
};
