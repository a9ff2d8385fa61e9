// The smoke check asks each node service once: the webserver over HTTP, each
// miner by a P2P ping through its published port (a docker exec only for a
// miner that publishes none), all at once; the endpoints table after `up`
// reuses those answers instead of asking again. Local servers on ephemeral
// loopback ports stand in for the nodes and count what they are asked.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { composeSmokeStep } from '../../cli/pipelines/steps/compose-smoke.step.ts';
import { composeStatus } from '../../cli/compose/compose-status.ts';
import type { ComposeContext } from '../../cli/pipelines/compose-context.ts';
import type { ContainerSummary } from '../../cli/adapters/docker.ts';
import { FakeDocker } from '../helpers/fake-docker.ts';
import { testApp } from '../k8s/helpers.ts';

const listen = async <S extends HttpServer | TcpServer>(server: S): Promise<number> => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
};
const close = (server: HttpServer | TcpServer) => new Promise<void>((r) => server.close(() => r()));

/** The webserver's API: GET /api/v1/blockchain at `height`, counting requests. */
async function webserver(height: number) {
  let requests = 0;
  const server = createHttpServer((req, res) => {
    requests++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(req.url === '/api/v1/blockchain' ? { success: true, data: { height, peers: 2 }, error: null } : { success: false, data: null, error: 'not found' }));
  });
  return { server, port: await listen(server), requests: () => requests };
}

/** A miner's P2P port: greets with hello, answers a ping with a pong at `height`, counting connections. */
async function miner(height: number) {
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections++;
    socket.write(`${JSON.stringify({ type: 'hello', version: 1, height })}\n`);
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString();
      const line = buf.split('\n')[0];
      if (!buf.includes('\n')) return;
      const m = JSON.parse(line);
      if (m.type === 'ping') socket.write(`${JSON.stringify({ type: 'pong', nonce: m.nonce, height, peers: 2 })}\n`);
    });
    socket.on('error', () => {});
  });
  return { server, port: await listen(server), connections: () => connections };
}

const p2p = (hostPort: number): ContainerSummary['ports'] => [{ hostIp: '127.0.0.1', hostPort, containerPort: 2001 }];

test('one request per service, and the endpoints table asks nobody again', async () => {
  const web = await webserver(12);
  const m1 = await miner(12);
  const m2 = await miner(13);
  const t = testApp();
  try {
    t.app.config.ports.api = web.port;
    const containers: ContainerSummary[] = [
      { id: 'c-m1', name: 'p-miner_1-1', image: 'node:x', imageId: 'i', state: 'running', health: 'healthy', service: 'miner_1', project: 'devenv', ports: p2p(m1.port) },
      { id: 'c-m2', name: 'p-miner_2-1', image: 'node:x', imageId: 'i', state: 'running', health: 'healthy', service: 'miner_2', project: 'devenv', ports: p2p(m2.port) },
      { id: 'c-w', name: 'p-webserver_1-1', image: 'node:x', imageId: 'i', state: 'running', health: 'healthy', service: 'webserver_1', project: 'devenv', ports: [{ hostIp: '127.0.0.1', hostPort: web.port, containerPort: 8080 }] },
    ];
    const docker = new FakeDocker({ containers });
    const ctx: ComposeContext = {
      app: t.app,
      docker,
      timeoutSeconds: 10,
      health: containers.map((c) => ({ service: c.service!, state: 'running', health: 'healthy', ready: true, containerId: c.id, ports: c.ports })),
    };
    await composeSmokeStep.run(ctx, { report: () => {} });
    assert.equal({ web: web.requests(), miner_1: m1.connections(), miner_2: m2.connections() }, { web: 1, miner_1: 1, miner_2: 1 });
    assert.equal(docker.calls.filter((c) => c.startsWith('exec')), [], 'no docker exec when the P2P port is published');
    assert.is(ctx.smoke?.webserverHeight, 12);
    assert.equal(ctx.smoke?.minerHeights, { miner_1: 12, miner_2: 13 });

    const rows = await composeStatus(t.app, docker, ['miner_1', 'miner_2', 'webserver_1'], ctx.smoke?.nodes);
    assert.equal(rows.map((r) => [r.service, r.height, r.peers]), [['miner_1', 12, 2], ['miner_2', 13, 2], ['webserver_1', 12, 2]]);
    assert.equal({ web: web.requests(), miner_1: m1.connections(), miner_2: m2.connections() }, { web: 1, miner_1: 1, miner_2: 1 }, 'the table reuses the answers');
  } finally {
    t.cleanup();
    await Promise.all([close(web.server), close(m1.server), close(m2.server)]);
  }
});

test('a miner without a published P2P port is asked once, inside its container', async () => {
  const web = await webserver(5);
  const t = testApp();
  try {
    t.app.config.ports.api = web.port;
    const docker = new FakeDocker({ exec: () => ({ stdout: '{"ready":true,"height":5,"peers":1,"reason":"ready"}\n' }) });
    const ctx: ComposeContext = {
      app: t.app,
      docker,
      timeoutSeconds: 10,
      health: [
        { service: 'miner_1', state: 'running', health: 'healthy', ready: true, containerId: 'c-m1', ports: [] },
        { service: 'webserver_1', state: 'running', health: 'healthy', ready: true, containerId: 'c-w' },
      ],
    };
    await composeSmokeStep.run(ctx, { report: () => {} });
    assert.equal(docker.calls, ['exec c-m1 blockchain-node healthcheck --json']);
    assert.is(web.requests(), 1);
    assert.equal(ctx.smoke?.minerHeights, { miner_1: 5 });
  } finally {
    t.cleanup();
    await close(web.server);
  }
});

test.run();
