#!/usr/bin/env node
// Bundles the reference node (src/main.ts and every dependency) into one file,
// dist/blockchain-node.js, the only thing the image copies. The output is
// deterministic (no timestamps, no absolute paths), so the hash of the build
// inputs can tag the image. `node images/blockchain-node/bundle.mjs` does the
// same from a shell.
//
// Build id: the first 12 hex digits of the SHA-256 of the bundle (written with
// a placeholder id, then the placeholder replaced), baked into the banner as
// `const __DEVENV_BUILD_ID = "...";`. The node reports it in /api/health and
// the image carries it as the label io.devenv.build-id, so "the new code
// answers" is observable (devenv up --watch waits for it).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { build, context } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

const PLACEHOLDER = '000000000000';

// Bundled CommonJS dependencies (node-redis) call require() for built-ins; an
// ESM bundle has no require unless we give it one.
const banner = [
  '#!/usr/bin/env node',
  "import { createRequire as __devenvCreateRequire } from 'node:module';",
  'const require = __devenvCreateRequire(import.meta.url);',
  `const __DEVENV_BUILD_ID = "${PLACEHOLDER}";`,
].join('\n');

/** The build id baked into a bundle's banner, or null when it has none. */
export function bundleBuildId(text) {
  return /^const __DEVENV_BUILD_ID = "([0-9a-f]{12})";$/m.exec(text.slice(0, 1000))?.[1] ?? null;
}

const outFile = `${here}dist/blockchain-node.js`;

function buildOptions(opts) {
  return {
    absWorkingDir: here,
    entryPoints: ['src/main.ts'],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: { js: banner },
    legalComments: 'none',
    sourcemap: false,
    charset: 'utf8',
    logLevel: opts.logLevel ?? 'warning',
    write: false,
    // Every file read, so a caller can tell later whether any of them changed (devenv skips an unchanged bundle).
    metafile: true,
  };
}

/** Bakes the build id into esbuild's output and writes it (only a bundle that compiled is written). */
function writeBundle(result) {
  const text = result.outputFiles[0].text;
  const buildId = createHash('sha256').update(text).digest('hex').slice(0, 12);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, text.replace(`"${PLACEHOLDER}"`, `"${buildId}"`));
  return { outFile, buildId, inputs: Object.keys(result.metafile?.inputs ?? {}) };
}

export async function bundleBlockchainNode(opts = {}) {
  return writeBundle(await build(buildOptions(opts)));
}

/** The same bundle, rebuilt incrementally (esbuild's context: a watcher re-bundles in a fraction of the time). */
export async function nodeBundler(opts = {}) {
  const ctx = await context(buildOptions(opts));
  return { bundle: async () => writeBundle(await ctx.rebuild()), dispose: () => ctx.dispose() };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { outFile } = await bundleBlockchainNode();
  console.log(outFile);
}
