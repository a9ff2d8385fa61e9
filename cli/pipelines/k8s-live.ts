// The one `kubectl get` a warm `up --k8s` needs (cli/k8s/apply-record.ts),
// started by the preflight from the record of the last apply, so it runs
// while the manifests render; the compare step uses it when it looked up
// the same objects it would, else asks again.
import type { CommandResult } from '../adapters/exec.ts';
import { readTextIfPresent } from '../adapters/state-file.ts';
import { applyRecordPath, parseApplyRecord, type ApplyRecord } from '../k8s/apply-record.ts';
import { kubeContextName, type K8sContext } from './k8s-context.ts';

/** The record of the last apply to this context (read once per run), or null. */
export function lastApplyRecord(ctx: K8sContext): ApplyRecord | null {
  if (ctx.lastApply === undefined) ctx.lastApply = parseApplyRecord(readTextIfPresent(applyRecordPath(ctx.app.config.root, kubeContextName(ctx))));
  return ctx.lastApply;
}

/** Starts the lookup of what the last `up` applied to this context (nothing without a record, or under --dry-run). */
export function startLiveLookup(ctx: K8sContext): void {
  if (ctx.app.args.dryRun || ctx.liveLookup) return;
  const record = lastApplyRecord(ctx);
  if (!record || record.context !== kubeContextName(ctx)) return;
  const result = ctx.kubectl.getRecorded(record.lookup);
  result.catch(() => undefined);
  ctx.liveLookup = { lookup: record.lookup, result };
}

/** The live objects of `lookup`: the preflight's answer when it asked for the same, else a new `kubectl get`. */
export function liveObjects(ctx: K8sContext, lookup: string): Promise<CommandResult> {
  return ctx.liveLookup?.lookup === lookup ? ctx.liveLookup.result : ctx.kubectl.getRecorded(lookup);
}
