#!/usr/bin/env node
// Entry point installed as `devenv`: runs the bundle built by `npm ci` (prepare).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/devenv.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('devenv: dist/devenv.js is missing. Fix: run `npm ci` (or `npm run build`) in the devenv checkout.\n');
  process.exit(3);
}
await import(bundle.href);
