// The node bundle for `up --watch`: the same bundler the image build uses
// (the build context's bundle.mjs, as the "Bundle the blockchain node" step
// runs it), with esbuild's first error turned into file:line and a fix. A
// failed bundle writes nothing: dist/ keeps the last good bundle.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DevenvError, ExitCode } from '../errors.ts';

export interface Bundle {
  file: string;
  buildId: string;
}

interface EsbuildMessage {
  text: string;
  location?: { file: string; line: number; column: number; lineText?: string } | null;
}

/** esbuild's BuildFailure carries errors[]; anything else is not a compile error. */
function esbuildErrors(err: unknown): EsbuildMessage[] | null {
  const errors = (err as { errors?: unknown })?.errors;
  return Array.isArray(errors) && errors.length > 0 ? (errors as EsbuildMessage[]) : null;
}

export function bundleFailure(err: unknown, contextDir: string, cwd: string): DevenvError {
  const errors = esbuildErrors(err);
  if (!errors) return new DevenvError(`bundling the node failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  const [first] = errors;
  const loc = first.location;
  const file = loc ? relative(cwd, join(contextDir, loc.file)) || loc.file : undefined;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return new DevenvError(`the node does not compile: ${first.text}${more}.`, {
    exitCode: ExitCode.usage,
    location: file ? { file, line: loc!.line, column: loc!.column + 1 } : undefined,
    hint: 'fix the source at that line and save again.',
    details: loc?.lineText ? `    ${loc.lineText.trim()}` : undefined,
  });
}

export interface NodeBundler {
  bundle(): Promise<Bundle>;
  dispose(): Promise<void>;
}

type BundlerModule = { nodeBundler?(opts: { logLevel: 'silent' }): Promise<{ bundle(): Promise<{ outFile: string; buildId?: string }>; dispose(): Promise<void> }> };

/** An incremental bundler over the context's bundle.mjs (esbuild's rebuild: a fraction of a cold bundle). */
export async function nodeBundler(contextDir: string, cwd: string): Promise<NodeBundler> {
  const bundler = join(contextDir, 'bundle.mjs');
  const hint = 'set image.context in devenv.yaml to the directory of images/blockchain-node (or a copy of it), with the bundle.mjs of this devenv version.';
  if (!existsSync(bundler)) throw new DevenvError(`${relative(cwd, bundler)} does not exist: --watch needs the reference node's bundler.`, { exitCode: ExitCode.usage, hint });
  const mod = (await import(pathToFileURL(bundler).href)) as BundlerModule;
  if (!mod.nodeBundler) throw new DevenvError(`${relative(cwd, bundler)} has no nodeBundler(): it predates --watch.`, { exitCode: ExitCode.usage, hint });
  const inner = await mod.nodeBundler({ logLevel: 'silent' });
  return {
    bundle: async () => {
      let res;
      try {
        res = await inner.bundle();
      } catch (err) {
        throw bundleFailure(err, contextDir, cwd);
      }
      if (!res.buildId) throw new DevenvError(`${relative(cwd, bundler)} returned no build id.`, { exitCode: ExitCode.usage, hint });
      return { file: res.outFile, buildId: res.buildId };
    },
    dispose: () => inner.dispose(),
  };
}
