// Waits, bounded, until every service is running and healthy, reporting each
// service's state. On timeout it shows the failing services' health output
// and last log lines.
import { DevenvError } from '../../errors.ts';
import { done, pollUntil, waiting } from '../../adapters/poll.ts';
import { describeHealth, serviceHealth } from '../../compose/service-health.ts';
import type { ComposeContext } from '../compose-context.ts';
import type { Step } from '../pipeline.ts';

export const composeWaitHealthyStep: Step<ComposeContext> = {
  name: 'Wait until every service is healthy',
  run: async (ctx, io) => {
    const { app } = ctx;
    const expected = ctx.composeFile?.defaultServices ?? [];
    app.plan.record({ kind: 'wait', what: `services healthy: ${expected.join(', ')}`, timeoutSeconds: ctx.timeoutSeconds });
    if (app.args.dryRun) return;
    const filter = { label: [`com.docker.compose.project=${app.config.compose.project}`] };
    let shown = '';
    const outcome = await pollUntil(
      async () => {
        const health = serviceHealth(expected, await ctx.docker.listContainers(filter));
        ctx.health = health;
        const line = describeHealth(health);
        if (line !== shown) io.report(line);
        shown = line;
        return health.every((h) => h.ready) ? done(true) : waiting(line);
      },
      { timeoutMs: ctx.timeoutSeconds * 1000, intervalMs: 1000 },
    );
    if (outcome.done) return;
    const failing = (ctx.health ?? []).filter((h) => !h.ready);
    const details: string[] = [];
    for (const f of failing) {
      details.push(`--- ${f.service}: ${f.state}, health ${f.health}`);
      if (f.containerId) {
        const h = await ctx.docker.inspectHealth(f.containerId);
        const last = h.log.at(-1);
        if (last) details.push(`last healthcheck (exit ${last.exitCode}): ${last.output.trim()}`);
        if (h.restartCount) details.push(`restarted ${h.restartCount} time(s)`);
      }
      const logs = await ctx.compose!.run(['logs', '--no-color', '--tail', '20', f.service], { check: false, timeoutMs: 30_000 });
      details.push(...`${logs.stdout}\n${logs.stderr}`.trim().split('\n').slice(-20));
    }
    throw new DevenvError(`not every service became healthy within ${ctx.timeoutSeconds} s: ${failing.map((f) => f.service).join(', ')}.`, {
      details: details.join('\n'),
      hint: 'read the health output and logs below; `devenv logs <service>` shows more. Raise the wait with --timeout if the machine is slow.',
    });
  },
};
