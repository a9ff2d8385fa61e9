// The end-to-end check: the API answers through the kind port mapping
// (host port -> NodePort -> webserver-service -> a webserver pod) and the
// chain has grown past genesis, i.e. the miners mine and the webserver syncs.
import { DevenvError } from '../../errors.ts';
import { done, pollUntil, waiting } from '../../adapters/poll.ts';
import { apiBase, fetchHeight } from '../../k8s/node-api.ts';
import type { K8sContext } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

const POLL_MS = 2000;

export const k8sSmokeStep: Step<K8sContext> = {
  name: 'Smoke check: the API answers and the chain grows',
  skip: (ctx) => (ctx.target.existingCluster ? `existing cluster: no host port mapping (try \`kubectl port-forward -n ${ctx.namespace} svc/webserver-service 8080\`)` : false),
  run: async (ctx, io) => {
    const url = `${apiBase(ctx)}/api/v1/blockchain`;
    const timeout = Math.min(ctx.timeoutSeconds, 180);
    ctx.app.plan.record({ kind: 'wait', what: `GET ${url} answers with height > 0`, timeoutSeconds: timeout });
    if (ctx.app.args.dryRun) return;
    const outcome = await pollUntil(
      async () => {
        const height = await fetchHeight(ctx).catch((err: Error) => err.message);
        if (typeof height === 'number' && height > 0) return done(height);
        const why = typeof height === 'number' ? 'height 0 (no block mined yet)' : height;
        io.report(`${url}: ${why}`);
        return waiting(why);
      },
      { timeoutMs: timeout * 1000, intervalMs: POLL_MS, sleep: ctx.deps.sleep },
    );
    if (outcome.done) {
      ctx.smoke = { url, height: outcome.value };
      io.report(`height ${outcome.value}`);
      return;
    }
    throw new DevenvError(`the API at ${url} did not report a height above 0 within ${timeout}s (last: ${outcome.last}).`, {
      hint: `check the webservers and miners: \`devenv status --k8s\`, \`devenv logs --k8s webserver\`; the kind config maps host port ${ctx.hostPorts?.api ?? ctx.app.config.ports.api} to NodePort 30080.`,
    });
  },
};
