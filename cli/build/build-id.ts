// The build id baked into the node bundle's banner by images/blockchain-node/bundle.mjs
// (12 hex digits of the bundle's hash): the image label io.devenv.build-id and
// what the node reports in /api/health as build_id.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';

export const BUILD_ID_LABEL = 'io.devenv.build-id';

export function buildIdOfBundleText(text: string): string | null {
  return /^const __DEVENV_BUILD_ID = "([0-9a-f]{12})";$/m.exec(text.slice(0, 1000))?.[1] ?? null;
}

/** The build id of a bundle file (its first KB), or null when absent or without one. */
export function buildIdOfBundle(file: string): string | null {
  if (!existsSync(file)) return null;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1000);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buildIdOfBundleText(buf.subarray(0, n).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

/** Where a container's node keeps live bundles and its `running` build (images/blockchain-node/src/live/live-reload.ts). */
export const LIVE_DIR = '/tmp/devenv-live';
