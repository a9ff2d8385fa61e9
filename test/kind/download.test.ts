// The download path of the kind wrapper against a loopback HTTP server
// standing in for GitHub releases (DEVENV_KIND_DOWNLOAD_BASE), with the pinned
// table replaced by the real SHA-256 of the file served here
// (DEVENV_KIND_CHECKSUMS_FILE). The served "kind" is a small shell script that
// prints a version line and echoes its arguments: the real binary cannot be
// fetched or run a cluster on this machine. Most cases run scripts/kind.mjs as
// its own process, as `npx devenv-kind` would.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KIND_VERSION, cachedKindPath, platformKey, resolveKind } from '../../scripts/kind.mjs';
import { deadPort, fakeKindScript, listFiles, runCli, sandbox, sha256, startServer, writeExecutable, type Sandbox, type TestServer } from './helpers.ts';
import { skipIf } from '../helpers/skip.ts';

const key = platformKey();
const t = skipIf(process.platform === 'win32' ? 'the served kind is a shell script' : !key ? `kind ships no binary for ${process.platform}/${process.arch}` : false, test);

const asset = `/${KIND_VERSION}/kind-${key}`;
const good = fakeKindScript(KIND_VERSION, 7);
const tampered = good.replace('exit 7', 'exit 0 # tampered');

let box: Sandbox;
let server: TestServer;
let checksumsFile: string;

t.before.each(async () => {
  box = sandbox();
  checksumsFile = join(box.dir, 'checksums.json');
  writeFileSync(checksumsFile, JSON.stringify({ [key!]: sha256(good) }));
  server = await startServer({
    [asset]: (_req, res) => {
      res.setHeader('content-type', 'application/octet-stream');
      res.end(good);
    },
    // Two hops, like github.com -> objects.githubusercontent.com.
    [`/hop2${asset}`]: (_req, res) => {
      res.writeHead(302, { location: `/hop1${asset}` });
      res.end();
    },
    [`/hop1${asset}`]: (_req, res) => {
      res.writeHead(301, { location: `${server.base}${asset}` });
      res.end();
    },
    [`/bad${asset}`]: (_req, res) => res.end(tampered),
    // Headers and a first chunk, then nothing: only the deadline ends it.
    [`/slow${asset}`]: (_req, res) => {
      res.writeHead(200, { 'content-length': String(good.length) });
      res.write(good.slice(0, 10));
    },
  });
});
t.after.each(async () => {
  await server.close();
  box.cleanup();
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: box.emptyBin,
    HOME: box.dir,
    DEVENV_CACHE_DIR: box.cacheDir,
    DEVENV_KIND_DOWNLOAD_BASE: server.base,
    DEVENV_KIND_CHECKSUMS_FILE: checksumsFile,
    ...extra,
  };
}

const manualSteps = (stderr: string) => {
  assert.match(stderr, `go install sigs.k8s.io/kind@${KIND_VERSION}`);
  assert.match(stderr, `sha256sum kind-${key}`);
  assert.match(stderr, `https://github.com/kubernetes-sigs/kind/releases/download/${KIND_VERSION}/kind-${key}`);
  assert.match(stderr, 'KIND=/path/to/kind');
};

t('first run downloads, verifies, caches and runs kind with the exact args and its exit code', async () => {
  const r = await runCli(['load', 'docker-image', 'img:a b;echo x', '--name', 'devenv'], env());
  assert.is(r.code, 7, `exit code of kind propagates\n${r.stderr}`);
  assert.is(r.stdout.trim(), 'fake-kind ran: [load] [docker-image] [img:a b;echo x] [--name] [devenv]');
  assert.match(r.stderr, `downloading kind ${KIND_VERSION} (${key}) from ${server.base}${asset}`);
  assert.match(r.stderr, `verified SHA-256 ${sha256(good)}`);
  const cached = cachedKindPath(env());
  assert.equal(listFiles(box.cacheDir), [`kind/${KIND_VERSION}/kind`], 'only the binary is cached, no temp file');
  assert.is(readFileSync(cached, 'utf8'), good);
  assert.ok(statSync(cached).mode & 0o100, 'cached binary is executable');
  assert.equal(server.requests, [asset]);

  // Second run: the verified cache, no request.
  const again = await runCli(['--devenv-which'], env());
  assert.is(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout), { path: cached, version: KIND_VERSION, source: 'cache' });
  assert.equal(server.requests, [asset], 'no second download');
});

t('redirects are followed to the asset', async () => {
  const got = await resolveKind({ env: env({ DEVENV_KIND_DOWNLOAD_BASE: `${server.base}/hop2/` }) });
  assert.equal(got, { path: cachedKindPath(env()), version: KIND_VERSION, source: 'download' });
  assert.equal(server.requests, [`/hop2${asset}`, `/hop1${asset}`, asset]);
  assert.is(readFileSync(got.path, 'utf8'), good);
});

t('a wrong-version kind on PATH is skipped and the pinned one is downloaded', async () => {
  const older = join(box.dir, 'older');
  writeExecutable(join(older, 'kind'), fakeKindScript('v0.26.0'));
  const r = await runCli(['--devenv-which'], env({ PATH: older }));
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { path: cachedKindPath(env()), version: KIND_VERSION, source: 'download' });
  assert.equal(server.requests, [asset]);
});

t('a checksum mismatch fails with expected vs actual, exit 3, and leaves nothing in the cache', async () => {
  const r = await runCli(['get', 'clusters'], env({ DEVENV_KIND_DOWNLOAD_BASE: `${server.base}/bad` }));
  assert.is(r.code, 3, r.stderr);
  assert.is(r.stdout, '', 'kind never ran');
  assert.match(r.stderr, `downloaded from ${server.base}/bad${asset} failed its checksum`);
  assert.match(r.stderr, `expected SHA-256 ${sha256(good)}, got ${sha256(tampered)}`);
  assert.match(r.stderr, 'nothing was cached');
  manualSteps(r.stderr);
  assert.not.ok(existsSync(box.cacheDir), 'no cache folder, no temp file left behind');
});

t('a 404 fails with the URL and the manual install steps, exit 3', async () => {
  const r = await runCli(['get', 'clusters'], env({ DEVENV_KIND_DOWNLOAD_BASE: `${server.base}/missing` }));
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, `Could not download kind ${KIND_VERSION} from ${server.base}/missing${asset}: the server answered HTTP 404`);
  manualSteps(r.stderr);
  assert.not.ok(existsSync(box.cacheDir));
});

t('a server that is down fails with the manual install steps, exit 3', async () => {
  const port = await deadPort();
  const r = await runCli(['get', 'clusters'], env({ DEVENV_KIND_DOWNLOAD_BASE: `http://127.0.0.1:${port}` }));
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, `from http://127.0.0.1:${port}${asset}: request failed: the connection was refused (ECONNREFUSED)`);
  manualSteps(r.stderr);
  assert.not.ok(existsSync(box.cacheDir));
});

t('a download that stalls is cut off by the deadline and nothing is cached', async () => {
  const started = Date.now();
  const r = await runCli(['get', 'clusters'], env({ DEVENV_KIND_DOWNLOAD_BASE: `${server.base}/slow`, DEVENV_KIND_DOWNLOAD_TIMEOUT_MS: '400' }), { timeoutMs: 15000 });
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, 'within 400 ms');
  assert.ok(Date.now() - started < 10000, 'bounded by the deadline');
  assert.not.ok(existsSync(box.cacheDir));
});

t('--devenv-which with $KIND prints JSON and runs nothing', async () => {
  const marker = join(box.dir, 'ran');
  const explicit = writeExecutable(join(box.dir, 'x/kind'), `${fakeKindScript(KIND_VERSION).replace('#!/bin/sh\n', `#!/bin/sh\n[ "$1" = version ] || : > ${marker}\n`)}`);
  const r = await runCli(['--devenv-which'], env({ KIND: explicit }));
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { path: explicit, version: KIND_VERSION, source: 'env' });
  assert.not.ok(existsSync(marker), 'kind itself was not run');
  assert.equal(server.requests, []);
});

t('kind killed by a signal: the wrapper dies by the same signal', async () => {
  const explicit = writeExecutable(
    join(box.dir, 'x/kind'),
    ['#!/bin/sh', `if [ "$1" = version ]; then echo "kind ${KIND_VERSION} go1.24.6 linux/amd64"; exit 0; fi`, 'kill -TERM $$', ''].join('\n'),
  );
  const r = await runCli(['get', 'clusters'], env({ KIND: explicit }));
  assert.is(r.signal, 'SIGTERM');
  assert.is(r.code, null);
});

t('a signal sent to the wrapper reaches kind, and kind\'s exit code comes back', async () => {
  const explicit = writeExecutable(
    join(box.dir, 'x/kind'),
    [
      '#!/bin/sh',
      `if [ "$1" = version ]; then echo "kind ${KIND_VERSION} go1.24.6 linux/amd64"; exit 0; fi`,
      'trap \'echo "kind got TERM"; exit 42\' TERM',
      'echo ready',
      'i=0; while [ $i -lt 100 ]; do /bin/sleep 0.1; i=$((i+1)); done',
      'exit 9',
      '',
    ].join('\n'),
  );
  let sent = false;
  const r = await runCli(['create', 'cluster'], env({ KIND: explicit }), {
    timeoutMs: 20000,
    onStdout: (out, child) => {
      if (!sent && out.includes('ready')) {
        sent = true;
        child.kill('SIGTERM');
      }
    },
  });
  assert.ok(sent, 'kind started');
  assert.match(r.stdout, 'kind got TERM');
  assert.is(r.code, 42);
});

test.run();
