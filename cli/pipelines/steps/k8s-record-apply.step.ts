// After a full `up --k8s` that passed its smoke check: what was applied, for
// the next `up` to compare the cluster with (cli/k8s/apply-record.ts). Not
// written when anything failed, so a broken run is never taken for done.
import { applyRecord, applyRecordPath } from '../../k8s/apply-record.ts';
import { writeStateFile } from '../../adapters/state-file.ts';
import { kubeContextName, type K8sContext } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

export const k8sRecordApplyStep: Step<K8sContext> = {
  name: 'Record what was applied',
  skip: (ctx) => (ctx.unchanged ? 'nothing applied' : !ctx.applied ? 'nothing applied (dry run)' : false),
  run: (ctx, io) => {
    const context = kubeContextName(ctx);
    const path = applyRecordPath(ctx.app.config.root, context);
    const record = applyRecord(context, ctx.applied!.hash, ctx.applied!.objects, ctx.applied!.lookup);
    writeStateFile(path, `${JSON.stringify(record, null, 2)}\n`, { plan: ctx.app.plan, dryRun: ctx.app.args.dryRun, note: 'what the last up --k8s applied (UIDs and devenv fields, no values)' });
    io.report(`${Object.keys(record.objects).length} objects recorded`);
  },
};
