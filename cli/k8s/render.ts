// Turns a manifests path (a kustomization directory or a single file) into
// objects with their sources. `kubectl kustomize` renders when it can (it is
// the authority); the built-in subset renders when kubectl is missing or under
// --dry-run (where nothing runs), and always supplies the file:line of each
// object, which kustomize's output has lost.
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import type { CommandRunner } from '../adapters/exec.ts';
import { renderKustomization } from '../adapters/kustomize.ts';
import { usageError } from '../errors.ts';
import { findKustomization, missingGeneratorInputs, renderBuiltin, type BuiltinRender } from './kustomize-builtin.ts';
import { fixedSource, objectKey, parseManifestText, type LoadedObject } from './manifest-source.ts';

export type Renderer = 'kubectl' | 'builtin' | 'file';

export interface RenderedManifests {
  /** The path as given (for messages). */
  target: string;
  objects: LoadedObject[];
  renderer: Renderer;
  warnings: string[];
  /** Generator inputs that were missing and read from their `.example`. */
  examplesUsed: string[];
}

export interface RenderOptions {
  cwd: string;
  virtualFiles?: Map<string, string>;
  exampleFallback?: boolean;
  /** False: never run kubectl (the built-in subset only). */
  kubectl?: boolean;
}

function shown(cwd: string, p: string): string {
  const r = relative(cwd, p);
  return r && !r.startsWith('..') ? r : p;
}

/** Runs `kubectl kustomize` on a throwaway copy whose missing generator inputs are filled from their `.example`. */
async function kubectlRender(runner: CommandRunner, dir: string, missing: string[]): Promise<string | null> {
  if (missing.length === 0) return renderKustomization(runner, dir);
  const tmp = mkdtempSync(join(tmpdir(), 'devenv-render-'));
  try {
    const copy = join(tmp, basename(dir));
    cpSync(dir, copy, { recursive: true });
    for (const p of missing) {
      const rel = relative(dir, p);
      if (rel.startsWith('..')) continue;
      copyFileSync(`${p}.example`, join(copy, rel));
    }
    return await renderKustomization(runner, copy);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function renderManifests(runner: CommandRunner, target: string, opts: RenderOptions): Promise<RenderedManifests> {
  const abs = resolve(opts.cwd, target);
  if (!existsSync(abs)) throw usageError(`${target} does not exist.`, 'pass a kustomization directory or a manifest file (default: the `manifests` directory of devenv.yaml).');
  if (!statSync(abs).isDirectory()) {
    return { target, objects: parseManifestText(readFileSync(abs, 'utf8'), shown(opts.cwd, abs)), renderer: 'file', warnings: [], examplesUsed: [] };
  }
  const kfile = findKustomization(abs);
  if (!kfile) throw usageError(`${target} has no kustomization.yaml.`, 'pass a kustomization directory or a single manifest file.');

  let builtin: BuiltinRender | undefined;
  let builtinError: unknown;
  try {
    builtin = renderBuiltin(abs, { cwd: opts.cwd, virtualFiles: opts.virtualFiles, exampleFallback: opts.exampleFallback });
  } catch (err) {
    builtinError = err;
  }

  if (opts.kubectl !== false) {
    const missing = opts.exampleFallback ? missingGeneratorInputs(abs) : [];
    const text = await kubectlRender(runner, abs, missing);
    // null: kubectl is not installed; empty: --dry-run recorded the command without running it.
    if (text && text.trim()) {
      const index = new Map((builtin?.objects ?? []).map((o) => [objectKey(o.object), o.source]));
      const rendered = parseManifestText(text, `kubectl kustomize ${target}`);
      const objects = rendered.map(({ object }) => ({ object, source: index.get(objectKey(object)) ?? fixedSource(shown(opts.cwd, kfile), 1) }));
      return { target, objects, renderer: 'kubectl', warnings: [], examplesUsed: missing.map((p) => shown(opts.cwd, p)) };
    }
  }
  if (!builtin) throw builtinError;
  return { target, objects: builtin.objects, renderer: 'builtin', warnings: builtin.warnings, examplesUsed: builtin.examplesUsed };
}
