import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { compareVersions, verdictFor } from '../../cli/doctor/checks.ts';
import { runCli } from '../helpers/cli.ts';
import { skipIf } from '../helpers/skip.ts';

const emptyPath = mkdtempSync(join(tmpdir(), 'devenv-empty-path-'));
const byId = (json: string) => Object.fromEntries(JSON.parse(json).checks.map((c: any) => [c.id, c]));

test('verdicts depend on the chosen mode', () => {
  assert.is(verdictFor('compose', false, ['k8s']), 'warn');
  assert.is(verdictFor('k8s', false, ['k8s']), 'fail');
  assert.is(verdictFor('k8s', true, ['k8s']), 'ok');
  assert.ok(compareVersions('20.20.2', '20.19.0') > 0);
  assert.ok(compareVersions('v1.29.2', '2.0.0') < 0);
});

test('--json is one JSON document with one entry per check', async () => {
  const r = await runCli(['doctor', '--json'], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
  const doc = JSON.parse(r.stdout);
  const ids = doc.checks.map((c: any) => c.id);
  assert.equal(ids, ['node', 'docker', 'compose', 'kind', 'kind-node-image', 'kubectl', 'port-8080', 'port-2001', 'port-2002', 'port-2101', 'port-6379', 'disk']);
  for (const c of doc.checks) assert.ok(['ok', 'warn', 'fail'].includes(c.verdict) && c.title && c.detail, JSON.stringify(c));
});

test('Docker daemon unreachable: FAIL with the fix, exit 3', async () => {
  const r = await runCli(['doctor'], { env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
  assert.is(r.exitCode, 3);
  assert.match(r.stdout, /Docker daemon\s+FAIL\s+the Docker daemon is not reachable at unix:\/\/\/nonexistent\/docker\.sock.*fix: start Docker/);
  assert.match(r.stdout, /check\(s\) failed for --compose: Docker daemon/);
});

test('PATH without docker, docker-compose, kubectl, kind: compose FAILs for --compose, kubectl FAILs for --k8s', async () => {
  const compose = await runCli(['doctor', '--json'], { env: { PATH: emptyPath } });
  assert.is(compose.exitCode, 3);
  const c = byId(compose.stdout);
  assert.is(c.compose.verdict, 'fail');
  assert.match(c.compose.fix, /docker compose/);
  assert.is(c.kubectl.verdict, 'warn', 'kubectl is only needed for --k8s');
  const k8s = await runCli(['doctor', '--k8s', '--json'], { env: { PATH: emptyPath } });
  assert.is(k8s.exitCode, 3);
  const k = byId(k8s.stdout);
  assert.is(k.kubectl.verdict, 'fail');
  assert.is(k.compose.verdict, 'warn');
  assert.match(k.kind.detail, /not found/);
});

// The machine's own tools, probed as doctor probes them: a Docker daemon, the
// docker CLI with Compose (v2 plugin or v1 binary), kubectl.
const answers = async (cmd: string, args: string[], out: RegExp = /(?:)/) => {
  const r = await execa(cmd, args, { reject: false, timeout: 15_000, stdin: 'ignore' });
  return r.exitCode === 0 && out.test(String(r.stdout));
};
const [hasDaemon, hasComposeV2, hasComposeV1, hasKubectl] = await Promise.all([
  answers('docker', ['info', '--format', '{{.ServerVersion}}']),
  answers('docker', ['compose', 'version', '--short'], /\d+\.\d+/),
  answers('docker-compose', ['version', '--short'], /\d+\.\d+/),
  answers('kubectl', ['version', '--client', '-o', 'json']),
]);
const absent = [
  !hasDaemon && 'a reachable Docker daemon',
  !(hasComposeV2 || hasComposeV1) && 'Docker Compose (`docker compose` or `docker-compose`)',
  !hasKubectl && 'kubectl',
].filter(Boolean);
const withTools = skipIf(absent.length ? `the tools-present doctor test needs ${absent.join(', ')}` : false);

withTools('with the tools present: compose and kubectl are OK and say which Compose will be used', async () => {
  const r = await runCli(['doctor', '--json']);
  const c = byId(r.stdout);
  assert.is(c.compose.verdict, 'ok');
  assert.match(c.compose.detail, /^(v2 [\d.]+ \(`docker compose`\)|v1 [\d.]+ \(`docker-compose`\)) will be used/);
  assert.is(c.kubectl.verdict, 'ok');
  assert.match(c.kubectl.detail, /^client v1\.\d+/);
  assert.is(c.docker.verdict, 'ok');
  assert.match(c.docker.detail, /^Docker Engine \d+/);
});

test('a taken port is FAIL and names the holder', async () => {
  const { createServer } = await import('node:net');
  const srv = createServer();
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', () => res()));
  const port = (srv.address() as any).port;
  try {
    const r = await runCli(['doctor', '--json'], { env: { DEVENV_API_PORT: String(port), DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    const c = byId(r.stdout);
    const p = c[`port-${port}`];
    assert.is(p.verdict, 'fail');
    assert.match(p.detail, new RegExp(`taken by pid ${process.pid} `));
  } finally {
    srv.close();
  }
});

test.run();
