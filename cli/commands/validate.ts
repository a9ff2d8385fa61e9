import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CommandModule } from 'yargs';
import type { AppContext, GlobalArgs } from '../context.ts';
import type { DevenvConfig } from '../config.ts';
import { ExitCode } from '../errors.ts';
import { runCommand } from './run-command.ts';
import { mark } from '../timing.ts';
import type { ValidationReport } from '../k8s/validation-report.ts';

interface ValidateArgs {
  manifests?: string;
  kindConfig?: boolean;
  cache?: boolean;
}

export const validateCommand: CommandModule<GlobalArgs, GlobalArgs & ValidateArgs> = {
  command: 'validate',
  describe: 'Check the Kubernetes manifests offline: schemas, probes, selectors, references, HPA requests, image pull policy, and the generated kind config',
  builder: (y) =>
    y
      .option('manifests', { type: 'string', describe: 'A kustomization directory, a directory of manifests (read like kubectl apply -f DIR) or a manifest file (default: the manifests directory and its metrics-server addon)' })
      .option('kind-config', { type: 'boolean', describe: "Also check devenv's generated kind config against the manifests (default: only without --manifests)" })
      .option('cache', { type: 'boolean', default: true, describe: 'Answer from the cache when no input changed (same devenv, kubectl, flags and file contents); --no-cache renders and checks again' })
      .example('$0 validate', 'validate manifests/, manifests/addons/metrics-server and the kind config')
      .example('$0 validate --manifests manifests/miner.yaml --json', 'one file, findings as JSON'),
  handler: runCommand<ValidateArgs>(async (app, argv) => {
    const { configPath } = await import('../config.ts');
    const cache = await import('../k8s/validate-cache.ts');
    mark('modules');
    const cfg = app.config;
    let targets: string[];
    if (argv.manifests) targets = [argv.manifests];
    else {
      const main = configPath(cfg, cfg.manifests);
      const addon = join(main, 'addons', 'metrics-server');
      targets = [main, ...(existsSync(addon) ? [addon] : [])].map((p) => relative(app.cwd, p) || '.');
    }
    const withKindConfig = argv.kindConfig ?? !argv.manifests;
    const kubectl = !app.args.dryRun;
    // An unchanged tree is answered from the cache (cli/k8s/validate-cache.ts).
    const code = argv.cache === false ? null : cache.codeIdentity(import.meta.url);
    const { devenvCacheDir } = await import('../../scripts/kind.mjs');
    // The kind config is made from the config and DEVENV_* variables: they are the key, not the YAML (nothing is loaded to make it).
    const kindInputs = withKindConfig ? [cfg, Object.entries(app.env).filter(([k]) => k.startsWith('DEVENV_')).sort()] : null;
    const file = code ? cache.validateCacheFile(devenvCacheDir(app.env), cache.validateCacheKey({ code, cwd: app.cwd, targets, kindConfig: kindInputs, kubectl, env: app.env })) : null;
    const before = file ? cache.targetsStamp(app.cwd, targets) : null;
    const hit = file && before !== null ? cache.readValidateCache<ValidationReport>(file, app.cwd, before) : null;
    if (file) mark(hit ? 'cache hit' : 'cache miss');
    const report = hit ?? (await validateAndRemember(app, { cfg, targets, withKindConfig, kubectl, file, before }));
    mark('report');
    const { formatValidationReport } = await import('../k8s/validation-report.ts');
    app.output.result(formatValidationReport(report), { ok: report.errors === 0, ...report });
    return report.errors ? ExitCode.usage : ExitCode.ok;
  }),
};

/** Renders and checks; the report goes into the cache unless the tree has a remote resource or a render failed. */
async function validateAndRemember(
  app: AppContext,
  o: { cfg: DevenvConfig; targets: string[]; withKindConfig: boolean; kubectl: boolean; file: string | null; before: string | null },
): Promise<ValidationReport> {
  const { validateManifests } = await import('../k8s/validate-manifests.ts');
  const { kindClusterConfig, kindConfigPath, kindConfigYaml } = await import('../k8s/kind-config.ts');
  const cache = await import('../k8s/validate-cache.ts');
  const kindFile = relative(app.cwd, kindConfigPath(o.cfg)) || kindConfigPath(o.cfg);
  let cacheable = true;
  const read: string[] = [];
  const report = await validateManifests(app.runner, {
    cwd: app.cwd,
    targets: o.targets,
    // The generated kind config belongs to this project's manifests: foreign input is not checked against it.
    // Written when it is read, after the renders have started (YAML stringify is not free on a cold start).
    kindConfig: o.withKindConfig ? { get text() { return kindConfigYaml(kindClusterConfig(o.cfg, app.env)); }, file: kindFile } : undefined,
    // Read-only: rendering is not an action, so --dry-run still validates (with the built-in renderer).
    kubectl: o.kubectl,
    onRendered: (r) => {
      read.push(...r.files);
      if (r.notes.some((n) => n.key === 'kustomize:remote')) cacheable = false;
    },
  });
  if (o.file && o.before !== null && cacheable && !report.targets.some((t) => t.renderer === 'failed')) {
    cache.writeValidateCache(o.file, app.cwd, o.before, [...new Set(read)], report);
  }
  return report;
}
