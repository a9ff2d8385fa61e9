// scripts/lib/debian-rootfs.sh with a stand-in debootstrap: a failed run
// caches nothing and says so (a half-built tree was once cached as a 20 KB
// tarball when two builds shared the package cache), a tree without /bin/sh
// is refused, a good one is cached and then reused without debootstrap.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../helpers/cli.ts';
import { skipIf } from '../helpers/skip.ts';

const lib = join(repoRoot, 'scripts/lib/debian-rootfs.sh');

/** Runs rootfs_tarball NAME PACKAGES with a fake debootstrap that does what `behaviour` says. */
async function run(behaviour: 'fail' | 'no-shell' | 'ok', cache: string) {
  const bin = join(cache, 'bin');
  mkdirSync(bin, { recursive: true });
  const calls = join(cache, 'debootstrap-calls');
  // debootstrap [options] SUITE TARGET MIRROR: the target is the second-to-last argument.
  const body = {
    fail: 'echo "E: Couldn\'t download packages" >&2; exit 1',
    'no-shell': 'mkdir -p "$target/etc"; exit 0',
    ok: 'mkdir -p "$target/usr/bin"; printf "#!/bin/sh\\n" > "$target/usr/bin/sh"; chmod +x "$target/usr/bin/sh"; exit 0',
  }[behaviour];
  writeFileSync(join(bin, 'debootstrap'), `#!/usr/bin/env bash\necho call >> ${JSON.stringify(calls)}\ntarget="\${@: -2:1}"\n${body}\n`);
  chmodSync(join(bin, 'debootstrap'), 0o755);
  const script = `set -euo pipefail
log() { echo "log: $*" >&2; }
die() { echo "die: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null; }
CACHE_DIR=${JSON.stringify(cache)}; WORK_DIR=$(mktemp -d)
source ${JSON.stringify(lib)}
# As kind-node-image.sh calls it: inside an && list, where set -e does not apply.
( rootfs_tarball test-tree pkg-a,pkg-b >/dev/null && echo built ) || echo refused
ls "$CACHE_DIR"/rootfs-*.tar 2>/dev/null || true`;
  const res = await execa('bash', ['-c', script], { env: { PATH: `${bin}:${process.env.PATH}` }, reject: false });
  const count = existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n').length : 0;
  return { out: res.stdout, err: res.stderr, debootstrapCalls: count };
}

// The library refuses to debootstrap without root; CI runs as root.
const test = skipIf(process.getuid?.() === 0 ? false : 'needs root (scripts/lib/debian-rootfs.sh debootstraps only as root)', uvuTest);

test('a failed debootstrap caches nothing and stops with the reason', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'devenv-rootfs-'));
  try {
    const r = await run('fail', cache);
    assert.match(r.out, /^refused$/m);
    assert.not.match(r.out, /rootfs-.*\.tar/, 'no tarball');
    assert.match(r.err, /die: debootstrap of the test-tree root filesystem failed/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('a tree without /bin/sh is refused, nothing cached', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'devenv-rootfs-'));
  try {
    const r = await run('no-shell', cache);
    assert.match(r.out, /^refused$/m);
    assert.not.match(r.out, /rootfs-.*\.tar/);
    assert.match(r.err, /has no \/bin\/sh/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('a good tree is cached once, then reused without debootstrap', async () => {
  const cache = mkdtempSync(join(tmpdir(), 'devenv-rootfs-'));
  try {
    const first = await run('ok', cache);
    assert.match(first.out, /^built$/m);
    assert.match(first.out, /rootfs-bookworm-test-tree-[0-9a-f]{8}\.tar/);
    const second = await run('fail', cache);
    assert.match(second.out, /^built$/m, 'the cached tarball is used; the failing debootstrap is never called');
    assert.is(second.debootstrapCalls, 1, 'debootstrap ran once in all');
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test.run();
