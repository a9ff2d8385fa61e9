// `devenv down --k8s` without --volumes keeps the data, as `devenv down` does
// on Compose: it deletes exactly the objects devenv renders from the
// manifests (the same render as `up --k8s`), minus the Namespace and the
// PersistentVolumeClaims, in one `kubectl delete -n NS <kind>/<name> ...`.
// The StatefulSets' claims (miner-data-miner-0, ...) stay bound with the
// chains and wallets on them, and are named in the result; the next
// `up --k8s` re-creates the StatefulSets, whose volumeClaimTemplates name the
// same claims, so every pod gets its own data back.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { splitApplyPhases } from '../../k8s/apply-phases.ts';
import { deleteTargets, kubectlRef } from '../../k8s/delete-targets.ts';
import type { K8sContext, K8sDownFlags } from '../k8s-context.ts';
import { moveToNamespace } from '../../manifests/objects.ts';
import { renderManifests } from '../../manifests/render.ts';
import type { Step } from '../pipeline.ts';

/** Why the keep-the-data path does not run, or false. */
function keepDataSkip(ctx: K8sContext, opts: K8sDownFlags): string | false {
  if (opts.cluster && !ctx.target.existingCluster) return `the whole kind cluster ${ctx.kind.name} is deleted next, PVCs included`;
  if (opts.volumes) return `--volumes: namespace ${ctx.namespace} is deleted next, with everything in it`;
  if (!ctx.target.existingCluster && !ctx.app.args.dryRun && !ctx.clusterExists) return `kind cluster ${ctx.kind.name} does not exist`;
  return false;
}

/** Renders the manifests as `up --k8s` does (no secret is written: a missing secrets.env is read from its .example; only names matter here). */
export function k8sRenderForDeleteStep(opts: K8sDownFlags): Step<K8sContext> {
  return {
    name: 'Render the manifests (what devenv applied)',
    skip: (ctx) => keepDataSkip(ctx, opts),
    run: async (ctx, io) => {
      const { app } = ctx;
      const missing = !existsSync(ctx.secretsFile);
      const example = `${ctx.secretsFile}.example`;
      // Under --dry-run kubectl only records its command line: the built-in renderer reads the example in place.
      const virtualFiles = missing && app.args.dryRun && existsSync(example) ? new Map([[ctx.secretsFile, readFileSync(example, 'utf8')]]) : undefined;
      const r = await renderManifests(app.runner, ctx.manifestsDir, { cwd: app.cwd, virtualFiles, exampleFallback: missing && !app.args.dryRun });
      for (const w of r.warnings) app.output.debug(w);
      const rendered = r.objects.map((o) => o.object);
      const from = rendered.find((o) => o.kind === 'Namespace')?.metadata?.name ?? ctx.namespace;
      const phases = splitApplyPhases(moveToNamespace(rendered, from, ctx.namespace));
      ctx.rendered = { objects: r.objects, renderer: r.renderer, phases };
      io.report(`${deleteTargets(phases.flatMap((p) => p.objects)).length} objects to delete from ${relative(app.cwd, ctx.manifestsDir) || '.'} (${r.renderer === 'kubectl' ? 'kubectl kustomize' : 'built-in renderer'}); the namespace and the PVCs are kept`);
    },
  };
}

/** `kubectl delete` prints `statefulset.apps "miner" deleted` (newer versions add ` from NS namespace`). */
function parseDeleted(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => /^(\S+) "([^"]+)" deleted\b/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}/${m[2]}`);
}

/** `2 StatefulSet, 5 Service, 1 Deployment` in first-seen order. */
function summarize(kinds: string[]): string {
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

export function k8sDeleteWorkloadsStep(opts: K8sDownFlags): Step<K8sContext> {
  return {
    name: 'Delete the workloads, Services and config (the namespace and its PVCs are kept)',
    skip: (ctx) => keepDataSkip(ctx, opts),
    run: async (ctx, io) => {
      const objects = deleteTargets((ctx.rendered?.phases ?? []).flatMap((p) => p.objects));
      const refs = objects.map(kubectlRef);
      let deleted: string[] = [];
      if (refs.length) {
        io.report(`deleting ${refs.length} object(s) in namespace ${ctx.namespace}: ${summarize(objects.map((o) => o.kind ?? ''))}`);
        const res = await ctx.kubectl.deleteObjects(ctx.namespace, refs, ctx.timeoutSeconds);
        deleted = parseDeleted(res.stdout);
      }
      const pvcs = await ctx.kubectl.getJson('persistentvolumeclaims', ctx.namespace, { check: false });
      if (ctx.app.args.dryRun) return io.report(`namespace ${ctx.namespace} and its PersistentVolumeClaims are kept (listed after the delete)`);
      const kept: string[] = (pvcs?.items ?? []).map((p: any) => p?.metadata?.name).filter(Boolean).sort();
      ctx.deleted = { ...ctx.deleted, objects: deleted, pvcs: [] };
      ctx.kept = { namespace: ctx.namespace, pvcs: kept };
      const note = kept.length
        ? `kept namespace ${ctx.namespace} and its ${kept.length} PersistentVolumeClaim(s) (${kept.join(', ')}): the chains and wallets stay; \`devenv down --k8s --volumes\` deletes them.`
        : `kept namespace ${ctx.namespace}; it has no PersistentVolumeClaims.`;
      io.report(note);
    },
  };
}
