import { judgeHeights, smokeFailure } from '../../compose/smoke.ts';
import { fetchChainStatus, type NodeHealth } from '../../adapters/node-api.ts';
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
    const web = (ctx.health ?? []).find((h) => h.service.startsWith('webserver'))?.service ?? 'webserver';
    const outcome = await pollUntil(
      async () => {
        // One request per service per round, all at once: the webserver over
        // HTTP, each miner (no HTTP) with a P2P ping through its published
        // port (or, without one, its healthcheck command in the container).
        const [webData, ...probes] = await Promise.all([
          fetchChainStatus(base),
          ...miners.map((m) => probeNode(ctx.docker, m.containerId!, m.ports)),
        ]);
        const minerHeights: Record<string, number> = {};
        const nodes: Record<string, NodeHealth> = {};
        miners.forEach((m, i) => {
          const p = probes[i];
          if (p?.height !== undefined) minerHeights[m.service] = p.height;
          if (p) nodes[m.service] = p;
        });
        nodes[web] = { ready: true, ...webData };
        io.report(`webserver height ${webData.height}; miners ${JSON.stringify(minerHeights)}`);
        const verdict = judgeHeights(webData.height, minerHeights);
        return verdict ? waiting(verdict) : done({ webserverHeight: webData.height, minerHeights, nodes });
      },
      { timeoutMs: SMOKE_TIMEOUT_MS, intervalMs: 1000 },
    );
    if (!outcome.done) throw smokeFailure(outcome.last);
    ctx.smoke = outcome.value;
  },
};
