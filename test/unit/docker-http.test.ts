// The Engine API's read calls over a unix socket without dockerode: a local
// HTTP server on a temp socket stands in for the daemon and records what it
// is asked. 404 is "no such image", other errors carry the daemon's message,
// and a dead socket is the usual "daemon not reachable" (exit 3).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerClient } from '../../cli/adapters/docker.ts';
import { DockerApiError } from '../../cli/adapters/docker-http.ts';
import { Plan } from '../../cli/plan.ts';
import { Redactor } from '../../cli/redact.ts';
import { DevenvError, ExitCode } from '../../cli/errors.ts';

async function fakeDaemon() {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-dockersock-'));
  const socket = join(dir, 'docker.sock');
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/version') return send(200, { Version: '20.10.24', ApiVersion: '1.41', Os: 'linux', Arch: 'amd64' });
    if (req.url === '/images/blockchain-node%3Aabc/json') return send(200, { Id: 'sha256:abc', Config: { Labels: { a: 'b' } } });
    if (req.url?.startsWith('/images/')) return send(404, { message: 'No such image' });
    if (req.url?.startsWith('/containers/json?all=1&filters=')) {
      return send(200, [{ Id: 'c1', Names: ['/p-redis-1'], Image: 'redis:7', ImageID: 'sha256:r', State: 'running', Status: 'Up 1 minute (healthy)', Labels: { 'com.docker.compose.service': 'redis', 'com.docker.compose.project': 'p' }, Ports: [{ IP: '127.0.0.1', PrivatePort: 6379, PublicPort: 26379, Type: 'tcp' }] }]);
    }
    if (req.url === '/containers/c1/json') return send(200, { State: { Health: { Status: 'healthy', Log: [] }, Pid: 7, StartedAt: '2026-01-01T00:00:00Z' }, RestartCount: 0 });
    return send(500, { message: 'boom' });
  });
  await new Promise<void>((r) => server.listen(socket, () => r()));
  const docker = new DockerClient({ DOCKER_HOST: `unix://${socket}` }, new Plan(new Redactor()), new Redactor(), false);
  return { docker, asked, close: () => new Promise<void>((r) => server.close(() => { rmSync(dir, { recursive: true, force: true }); r(); })) };
}

test('ping, images, containers and their health, read over the socket', async () => {
  const d = await fakeDaemon();
  try {
    assert.equal(await d.docker.ping(), { serverVersion: '20.10.24', apiVersion: '1.41', os: 'linux', arch: 'amd64' });
    assert.is(await d.docker.imageId('blockchain-node:abc'), 'sha256:abc');
    assert.is(await d.docker.imageId('missing:1'), null);
    assert.equal(await d.docker.imageLabels('blockchain-node:abc'), { a: 'b' });
    assert.is(await d.docker.imageLabels('missing:1'), null);
    const list = await d.docker.listContainers({ label: ['com.docker.compose.project=p'] });
    assert.equal(list.map((c) => [c.service, c.state, c.health, c.ports]), [['redis', 'running', 'healthy', [{ hostIp: '127.0.0.1', hostPort: 26379, containerPort: 6379 }]]]);
    assert.equal(d.asked.find((u) => u.startsWith('/containers/json')), `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: ['com.docker.compose.project=p'] }))}`);
    assert.equal(await d.docker.inspectHealth('c1'), { status: 'healthy', log: [], restartCount: 0, pid: 7, startedAt: '2026-01-01T00:00:00Z' });
    const err = await d.docker.inspectHealth('other').catch((e: Error) => e);
    assert.instance(err, DockerApiError);
    assert.is((err as DockerApiError).statusCode, 500);
  } finally {
    await d.close();
  }
});

test('no daemon on the socket: the usual prerequisite error', async () => {
  const docker = new DockerClient({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, new Plan(new Redactor()), new Redactor(), false);
  const err = await docker.ping().catch((e: unknown) => e);
  assert.instance(err, DevenvError);
  assert.is((err as DevenvError).exitCode, ExitCode.prerequisite);
});

test.run();
