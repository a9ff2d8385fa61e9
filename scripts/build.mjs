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
await build({
  entryPoints: [`${root}cli/main.ts`],
  outdir: `${root}dist`,
  entryNames: 'devenv',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
