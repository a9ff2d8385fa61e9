import { judgeHeights, smokeFailure } from '../../compose/smoke.ts';
import { fetchChainHeight } from '../../adapters/node-api.ts';
import { done, pollUntil, waiting } from '../../adapters/poll.ts';
import { probeNode } from '../../compose/node-probe.ts';
import type { ComposeContext } from '../compose-context.ts';
import type { Step } from '../pipeline.ts';

const SMOKE_TIMEOUT_MS = 60_000;

export const composeSmokeStep: Step<ComposeContext> = {
  name: 'Smoke check: API answers, height > 0, webserver follows the miners',
  run: async (ctx, io) => {
    const { app } = ctx;
    const base = `http://127.0.0.1:${app.config.ports.api}`;
    app.plan.record({ kind: 'wait', what: `GET ${base}/api/v1/blockchain: height > 0 and within 1 of the miners`, timeoutSeconds: SMOKE_TIMEOUT_MS / 1000 });
    if (app.args.dryRun) return;
    const miners = (ctx.health ?? []).filter((h) => h.service.startsWith('miner') && h.containerId);
    const outcome = await pollUntil(
      async () => {
        const minerHeights: Record<string, number> = {};
        for (const m of miners) {
          const p = await probeNode(ctx.docker, m.containerId!);
          if (p?.height !== undefined) minerHeights[m.service] = p.height;
        }
        const web = await fetchChainHeight(base);
        io.report(`webserver height ${web}; miners ${JSON.stringify(minerHeights)}`);
        const verdict = judgeHeights(web, minerHeights);
        return verdict ? waiting(verdict) : done({ webserverHeight: web, minerHeights });
      },
      { timeoutMs: SMOKE_TIMEOUT_MS, intervalMs: 1000 },
    );
    if (!outcome.done) throw smokeFailure(outcome.last);
    ctx.smoke = outcome.value;
  },
};
