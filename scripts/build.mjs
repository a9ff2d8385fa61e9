#!/usr/bin/env node
// Bundles the CLI (cli/main.ts) into dist/devenv.js with esbuild. Runs on
// `npm ci` (prepare) so `npx devenv` works on a fresh clone; most dependencies stay
// external and are loaded from node_modules, commands are loaded lazily.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Chunk names are content hashes: start clean so stale chunks do not pile up.
rmSync(`${root}dist`, { recursive: true, force: true });
const BUNDLED_PACKAGES = new Set([
  // yargs and what it loads to print help (issue 12).
  'yargs', 'yargs-parser', 'cliui', 'y18n', 'escalade', 'get-caller-file', 'wrap-ansi', 'strip-ansi', 'ansi-regex', 'ansi-styles',
  // yaml (about 70 CommonJS files) and execa with its dependencies (about 60 ES modules): every
  // command loads them through the app context; bundled they are a few chunks (issue 11: this
  // cut the context's load from about 150 ms to 50 ms on the validate path).
  'yaml', 'execa', '@sindresorhus/merge-streams', 'cross-spawn', 'figures', 'get-stream', 'human-signals', 'is-plain-obj', 'is-stream', 'npm-run-path', 'pretty-ms', 'signal-exit', 'strip-final-newline', 'yoctocolors', 'parse-ms', 'unicorn-magic', 'path-key', 'which', 'isexe', 'shebang-command', 'shebang-regex', 'is-unicode-supported', '@sec-ant/readable-stream']);
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
  // Dependencies stay external, except yargs and what it loads to print help,
  // yaml and execa: bundled, they are a few files instead of some hundred
  // and seventy for the module loaders to resolve and read at every start,
  // and yargs' `string-width` becomes cli/terminal-width.ts (see there why).
  // Issue 12: start-up at most 2x `node -e 0`.
  plugins: [externalExceptHelpStack],
  // Bundled CommonJS (cross-spawn, yaml) requires Node's own modules: give every chunk a `require`.
  banner: { js: "import { createRequire as __devenvCreateRequire } from 'node:module'; const require = __devenvCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});
