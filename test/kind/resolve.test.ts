// Resolution order of the kind wrapper: $KIND, then PATH (right version only),
// then the checksum-verified cache, then download. The `kind` binaries here
// are fake executables that print a version line: a real kind cluster cannot
// start on this machine.
import { statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  KIND_CHECKSUMS,
  KIND_VERSION,
  KindResolveError,
  cachedKindPath,
  describeKind,
  downloadUrl,
  parseKindVersion,
  platformKey,
  resolveKind,
} from '../../scripts/kind.mjs';
import { DevenvError, ExitCode } from '../../cli/errors.ts';
import { resolveKindBinary } from '../../cli/adapters/kind-binary.ts';
import { fakeKindScript, sandbox, sha256, startServer, writeExecutable, listFiles, type Sandbox, type TestServer } from './helpers.ts';
import { skipIf } from '../helpers/skip.ts';

const key = platformKey();
const t = skipIf(process.platform === 'win32' ? 'fake kind executables are shell scripts' : !key ? `kind ships no binary for ${process.platform}/${process.arch}` : false, test);

let box: Sandbox;
let server: TestServer;

t.before.each(async () => {
  box = sandbox();
  // Counts requests: resolution that should not download must leave it untouched.
  server = await startServer({});
});
t.after.each(async () => {
  await server.close();
  box.cleanup();
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: box.emptyBin, HOME: box.dir, DEVENV_CACHE_DIR: box.cacheDir, DEVENV_KIND_DOWNLOAD_BASE: server.base, ...extra };
}

function seedCache(e: Record<string, string>, body: string, mode = 0o755): string {
  const p = cachedKindPath(e);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, body, { mode });
  return p;
}

test('parseKindVersion reads `kind version` output (full and -q forms)', () => {
  assert.is(parseKindVersion('kind v0.30.0 go1.24.6 linux/amd64\n'), 'v0.30.0');
  assert.is(parseKindVersion('kind v0.31.0-alpha.12+abcdef0123456 go1.25.1 darwin/arm64'), 'v0.31.0-alpha.12+abcdef0123456');
  assert.is(parseKindVersion('0.30.0\n'), 'v0.30.0');
  assert.is(parseKindVersion('Client Version: v1.34.0'), null);
  assert.is(parseKindVersion(''), null);
});

test('the pinned table covers the four published unix platforms with sha256 digests', () => {
  assert.is(KIND_VERSION, 'v0.30.0');
  assert.equal(Object.keys(KIND_CHECKSUMS).sort(), ['darwin-amd64', 'darwin-arm64', 'linux-amd64', 'linux-arm64']);
  for (const v of Object.values(KIND_CHECKSUMS)) assert.match(v, /^[0-9a-f]{64}$/);
  assert.is(platformKey('linux', 'x64'), 'linux-amd64');
  assert.is(platformKey('darwin', 'arm64'), 'darwin-arm64');
  assert.is(platformKey('win32', 'x64'), 'windows-amd64');
  assert.is(platformKey('linux', 'ia32'), null);
  assert.is(downloadUrl('v0.30.0', 'linux-arm64'), 'https://github.com/kubernetes-sigs/kind/releases/download/v0.30.0/kind-linux-arm64');
});

t('$KIND wins over a matching kind on PATH and a valid cache', async () => {
  const explicit = writeExecutable(join(box.dir, 'explicit/kind'), fakeKindScript(KIND_VERSION));
  const onPath = join(box.dir, 'bin');
  writeExecutable(join(onPath, 'kind'), fakeKindScript(KIND_VERSION));
  const e = env({ KIND: explicit, PATH: onPath });
  const body = fakeKindScript(KIND_VERSION);
  seedCache(e, body);
  const got = await resolveKind({ env: e, checksums: { [key!]: sha256(body) } });
  assert.equal(got, { path: explicit, version: KIND_VERSION, source: 'env' });
  assert.equal(server.requests, []);
});

t('$KIND with another version is refused with both versions named, unless DEVENV_KIND_ANY_VERSION=1', async () => {
  const explicit = writeExecutable(join(box.dir, 'explicit/kind'), fakeKindScript('v0.29.0'));
  const err = await resolveKind({ env: env({ KIND: explicit }) }).then(() => null, (e: unknown) => e);
  assert.instance(err, KindResolveError);
  const k = err as KindResolveError;
  assert.is(k.code, 'version-mismatch');
  assert.is(k.exitCode, 3);
  assert.match(k.message, `KIND=${explicit} is kind v0.29.0`);
  assert.match(k.message, `pinned to kind ${KIND_VERSION}`);
  assert.match(k.message, 'DEVENV_KIND_ANY_VERSION=1');
  assert.equal(server.requests, [], 'a bad $KIND must not fall through to a download');

  const any = await resolveKind({ env: env({ KIND: explicit, DEVENV_KIND_ANY_VERSION: '1' }) });
  assert.equal(any, { path: explicit, version: 'v0.29.0', source: 'env' });
});

t('$KIND that is not an executable, or not kind, is a clear error', async () => {
  const missing = join(box.dir, 'nope/kind');
  const e1 = (await resolveKind({ env: env({ KIND: missing }) }).catch((e) => e)) as KindResolveError;
  assert.is(e1.code, 'kind-env-missing');
  assert.match(e1.message, `KIND=${missing} is not an executable file`);

  const notKind = writeExecutable(join(box.dir, 'other/kind'), '#!/bin/sh\necho "hello"\n');
  const e2 = (await resolveKind({ env: env({ KIND: notKind }) }).catch((e) => e)) as KindResolveError;
  assert.is(e2.code, 'kind-env-broken');
  assert.match(e2.message, 'printed "hello", not a kind version line');
});

t('a kind on PATH with the pinned version is used; a wrong-version one earlier on PATH is skipped', async () => {
  const older = join(box.dir, 'older');
  const right = join(box.dir, 'right');
  writeExecutable(join(older, 'kind'), fakeKindScript('v0.27.0'));
  writeExecutable(join(right, 'kind'), fakeKindScript(KIND_VERSION));
  const got = await resolveKind({ env: env({ PATH: [box.emptyBin, older, right].join(':') }) });
  assert.equal(got, { path: join(right, 'kind'), version: KIND_VERSION, source: 'path' });
  assert.equal(server.requests, []);
});

t('a wrong-version kind on PATH falls through to a valid cached binary, without downloading', async () => {
  const older = join(box.dir, 'older');
  writeExecutable(join(older, 'kind'), fakeKindScript('v0.27.0'));
  const e = env({ PATH: older });
  const body = fakeKindScript(KIND_VERSION);
  // Not executable on disk: the cache hit restores the mode after verifying.
  const cached = seedCache(e, body, 0o644);
  const got = await resolveKind({ env: e, checksums: { [key!]: sha256(body) } });
  assert.equal(got, { path: cached, version: KIND_VERSION, source: 'cache' });
  assert.ok(statSync(cached).mode & 0o100, 'cached binary is executable');
  assert.equal(server.requests, [], 'a valid cache is used without any request');
});

t('a cached binary whose SHA-256 no longer matches is not used', async () => {
  const e = env();
  seedCache(e, fakeKindScript(KIND_VERSION));
  const err = (await resolveKind({ env: e, checksums: { [key!]: 'a'.repeat(64) }, download: false }).catch((x) => x)) as KindResolveError;
  assert.instance(err, KindResolveError);
  assert.is(err.code, 'not-found');
  assert.match(err.message, `expected ${'a'.repeat(64)}`);
  assert.match(err.message, `go install sigs.k8s.io/kind@${KIND_VERSION}`);
  assert.equal(server.requests, []);
});

t('a platform without a pinned checksum is refused before any request, with manual steps', async () => {
  const err = (await resolveKind({ env: env(), checksums: {} }).catch((x) => x)) as KindResolveError;
  assert.is(err.code, 'unsupported-platform');
  assert.match(err.message, `no pinned checksum for kind ${KIND_VERSION} on ${key}`);
  assert.match(err.message, 'KIND=/path/to/kind');
  assert.equal(server.requests, []);
  assert.equal(listFiles(box.cacheDir), []);
});

t('describeKind reports what would run and never downloads', async () => {
  const nothing = await describeKind({ env: env() });
  assert.is(nothing.pinnedVersion, KIND_VERSION);
  assert.is(nothing.found, null);
  assert.is(nothing.canDownload, true);
  assert.is(nothing.cachePath, cachedKindPath(env()));
  assert.match(nothing.reason, `will be downloaded from ${server.base}/${KIND_VERSION}/kind-${key}`);

  const noTable = await describeKind({ env: env(), checksums: {} });
  assert.is(noTable.canDownload, false);
  assert.match(noTable.reason, 'cannot be downloaded');

  const right = join(box.dir, 'right');
  writeExecutable(join(right, 'kind'), fakeKindScript(KIND_VERSION));
  const onPath = await describeKind({ env: env({ PATH: right }) });
  assert.equal(onPath.found, { path: join(right, 'kind'), version: KIND_VERSION, source: 'path' });

  const wrong = writeExecutable(join(box.dir, 'w/kind'), fakeKindScript('v0.20.0'));
  const bad = await describeKind({ env: env({ KIND: wrong }) });
  assert.is(bad.found, null);
  assert.match(bad.reason, 'is kind v0.20.0');

  assert.equal(server.requests, [], 'describeKind made no request');
  assert.equal(listFiles(box.cacheDir), []);
});

t('resolveKindBinary turns failures into DevenvError exit 3 with the fix as hint', async () => {
  const wrong = writeExecutable(join(box.dir, 'w/kind'), fakeKindScript('v0.20.0'));
  const err = await resolveKindBinary({ env: env({ KIND: wrong }) }).catch((e) => e);
  assert.instance(err, DevenvError);
  const d = err as DevenvError;
  assert.is(d.exitCode, ExitCode.prerequisite);
  assert.match(d.message, 'is kind v0.20.0');
  assert.match(d.hint ?? '', `go install sigs.k8s.io/kind@${KIND_VERSION}`);
  assert.match(d.toParagraph(), 'Fix: ');

  const ok = await resolveKindBinary({ env: env({ KIND: wrong, DEVENV_KIND_ANY_VERSION: '1' }) });
  assert.is(ok.source, 'env');
});

test.run();
