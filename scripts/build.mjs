#!/usr/bin/env node
// Bundles the CLI (cli/main.ts) into dist/devenv.js with esbuild. Runs on
// `npm ci` (prepare) so `npx devenv` works on a fresh clone; dependencies stay
// external and are loaded from node_modules, commands are loaded lazily.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Chunk names are content hashes: start clean so stale chunks do not pile up.
rmSync(`${root}dist`, { recursive: true, force: true });
const BUNDLED_PACKAGES = new Set(['yargs', 'yargs-parser', 'cliui', 'y18n', 'escalade', 'get-caller-file', 'wrap-ansi', 'strip-ansi', 'ansi-regex', 'ansi-styles']);
const packageName = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
const externalExceptHelpStack = {
  name: 'external-except-help-stack',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, () => ({ path: `${root}cli/terminal-width.ts` }));
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || !BUNDLED_PACKAGES.has(packageName(args.path))) return { path: args.path, external: true };
      return undefined;
    });
  },
};

await build({
  entryPoints: [`${root}cli/main.ts`],
  outdir: `${root}dist`,
  entryNames: 'devenv',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies stay external, except yargs and what it loads to print help:
  // bundled, they are one file instead of some forty for the ESM loader to
  // resolve and read at every start, and their `string-width` becomes
  // cli/terminal-width.ts (see there why). Issue 12: start-up at most 2x `node -e 0`.
  plugins: [externalExceptHelpStack],
  sourcemap: 'linked',
  logLevel: 'warning',
});
