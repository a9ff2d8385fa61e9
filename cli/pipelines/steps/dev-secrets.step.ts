import { relative } from 'node:path';
import { ensureDevSecrets } from '../../dev-secrets.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { Step } from '../pipeline.ts';

/** Generates the dev API keys into the given git-ignored env files (kept when present). */
export function devSecretsStep<C extends PipelineContext>(files: (ctx: C) => string[]): Step<C> {
  return {
    name: 'Development API keys',
    run: (ctx, io) => {
      const { written } = ensureDevSecrets(files(ctx), ctx.app.redactor, { dryRun: ctx.app.args.dryRun });
      for (const f of written) ctx.app.plan.record({ kind: 'file', path: relative(ctx.app.cwd, f), content: 'BITCOIN_API_ADMIN_KEY=***\nBITCOIN_API_WALLET_KEY=***', note: 'generated dev keys, mode 0600' });
      io.report(written.length ? `${ctx.app.args.dryRun ? 'would write' : 'wrote'} ${written.map((f) => relative(ctx.app.cwd, f)).join(', ')}` : 'keys present');
    },
  };
}
