#!/usr/bin/env node
// Bundles the reference node (src/main.ts and every dependency) into one file,
// dist/blockchain-node.js, the only thing the image copies. The output is
// deterministic (no timestamps, no absolute paths), so the hash of the build
// inputs can tag the image. `node images/blockchain-node/bundle.mjs` does the
// same from a shell.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

// Bundled CommonJS dependencies (node-redis) call require() for built-ins; an
// ESM bundle has no require unless we give it one.
const banner = [
  '#!/usr/bin/env node',
  "import { createRequire as __devenvCreateRequire } from 'node:module';",
  'const require = __devenvCreateRequire(import.meta.url);',
].join('\n');

export async function bundleBlockchainNode() {
  const outFile = `${here}dist/blockchain-node.js`;
  const result = await build({
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
    logLevel: 'warning',
    // Every file read, so a caller can tell later whether any of them changed.
    metafile: true,
  });
  return { outFile, inputs: Object.keys(result.metafile.inputs) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { outFile } = await bundleBlockchainNode();
  console.log(outFile);
}
