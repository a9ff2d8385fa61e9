// Render the manifests (kubectl kustomize, or the built-in subset under
// --dry-run), check them with the same rules as `devenv validate` and the
// files the generators read (TOML, JSON, YAML) with their parsers, put the
// hash of the config each workload uses on its pod template (so changed
// config rolls those pods), and split them into apply phases: all before kind
// or the cluster is touched, so a broken manifest costs nothing (exit 2 with
// file and line).
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { ensureDevSecrets } from '../../dev-secrets.ts';
import { DevenvError, ExitCode } from '../../errors.ts';
import { splitApplyPhases } from '../../k8s/apply-phases.ts';
import { annotateConfigHashes, generatorConfigFiles } from '../../k8s/config-rollout.ts';
import { configSyntaxError } from '../../topology/mounted-config.ts';
import type { K8sContext } from '../k8s-context.ts';
import { renderManifests } from '../../manifests/render.ts';
import { imagesOf, moveToNamespace, replaceImages } from '../../manifests/objects.ts';
import { parseImageRef } from '../../manifests/image-ref.ts';
import { checkObjects } from '../../k8s/validate-manifests.ts';
import { codeIdentity, markRulesPassed, rulesPassedMarker } from '../../k8s/validate-cache.ts';
import { devenvCacheDir } from '../../../scripts/kind.mjs';
import type { Step } from '../pipeline.ts';

export const k8sRenderStep: Step<K8sContext> = {
  name: 'Render and check the manifests',
  run: async (ctx, io) => {
    const { app } = ctx;
    const virtualFiles = new Map<string, string>();
    // Under --dry-run the keys step wrote nothing; render with the keys it would have written.
    if (!existsSync(ctx.secretsFile)) {
      const { secrets } = ensureDevSecrets([ctx.secretsFile], app.redactor, { dryRun: true });
      virtualFiles.set(ctx.secretsFile, Object.entries(secrets).map(([k, v]) => `${k}=${v}`).join('\n'));
    }
    const r = await renderManifests(app.runner, ctx.manifestsDir, { cwd: app.cwd, virtualFiles, kustomize: ctx.kustomize });
    for (const w of r.warnings) app.output.debug(w);
    const brokenConfig = configSyntaxError(generatorConfigFiles(r.objects));
    if (brokenConfig) throw brokenConfig;
    // The rules' answer for these exact objects and files is remembered once they pass (cli/k8s/validate-cache.ts).
    const marker = rulesPassedMarker(devenvCacheDir(app.env), codeIdentity(import.meta.url), r.objects.map((o) => o.object), r.files, app.cwd);
    const passedBefore = marker !== null && existsSync(marker);
    const findings = passedBefore ? [] : (await checkObjects(r.objects)).filter((f) => f.severity === 'error');
    if (marker && !passedBefore && !findings.length) markRulesPassed(marker);
    if (findings.length) {
      const f = findings[0];
      throw new DevenvError(`the manifests have ${findings.length} error(s); nothing was applied. First: ${f.rule}: ${f.object}: ${f.message}`, {
        exitCode: ExitCode.usage,
        location: { file: f.file, line: f.line },
        hint: `${f.fix} \`devenv validate\` lists every finding.`,
        details: findings.map((x) => `${x.file}:${x.line} ${x.rule} ${x.object}: ${x.message}`).join('\n'),
      });
    }
    const rendered = r.objects.map((o) => o.object);
    const from = rendered.find((o) => o.kind === 'Namespace')?.metadata?.name ?? ctx.namespace;
    const objects = annotateConfigHashes(moveToNamespace(rendered, from, ctx.namespace));
    for (const o of objects) {
      // Secret data is base64: mask that form too, or the dry-run plan would show it.
      if (o.kind !== 'Secret') continue;
      for (const v of Object.values<string>(o.data ?? {})) app.redactor.add(v, Buffer.from(v, 'base64').toString('utf8'));
      for (const v of Object.values<string>(o.stringData ?? {})) app.redactor.add(v, Buffer.from(v).toString('base64'));
    }
    const phases = splitApplyPhases(objects);
    ctx.rendered = { objects: r.objects, renderer: r.renderer, phases };
    if (existsSync(ctx.addonDir)) {
      const addon = await renderManifests(app.runner, ctx.addonDir, { cwd: app.cwd, kubectl: false });
      const image = app.config.images.metricsServer || ctx.kindNode?.metricsServerImage;
      const byName: Record<string, string> = {};
      for (const i of imagesOf(addon.objects.map((o) => o.object))) {
        const name = parseImageRef(i).name;
        if (image && (name === 'metrics-server' || name.endsWith('/metrics-server'))) byName[name] = image;
      }
      const objects = replaceImages(addon.objects.map((o) => o.object), byName);
      ctx.addon = { objects, images: imagesOf(objects) };
    }
    io.report(`${objects.length} objects from ${relative(app.cwd, ctx.manifestsDir) || '.'} (${r.renderer === 'kubectl' ? 'kubectl kustomize' : 'built-in renderer'}), in ${phases.filter((p) => p.objects.length).length} phases`);
  },
};

