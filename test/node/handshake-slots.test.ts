// Issue 15, defect 10: 64 connections that only ping must not hold the
// inbound slots. The oldest silent one gives way to a new connection, and
// every connection must say hello within 5 s, pings or not.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { genesis } from './helpers/chain-fixtures.ts';
import { startInProcessNode, stopInProcess, type InProcessNode } from './helpers/in-process-node.ts';
import { P2pClient, waitUntil } from './helpers/node-process.ts';

let node: InProcessNode | undefined;
const clients: P2pClient[] = [];
test.after(async () => {
  for (const c of clients) c.close();
  await stopInProcess([node]);
});

test('64 pinging connections without hello neither lock out a node nor stay past the deadline', async () => {
  node = await startInProcessNode({ name: 'target', blocks: [genesis(1)] });
  const port = node.node.network.listenPort;
  for (let i = 0; i < 64; i++) {
    const c = await P2pClient.connect(port);
    clients.push(c);
    c.send({ type: 'ping', nonce: `silent-${i}` });
  }
  await waitUntil('every silent connection answered', 5000, () => clients.every((c, i) => c.messages.some((m) => m.type === 'pong' && m.nonce === `silent-${i}`)));
  const honest = await P2pClient.connect(port);
  clients.push(honest);
  honest.hello();
  const hello = await honest.waitFor('the node to answer hello', (m) => m.type === 'hello', 5000);
  assert.is(hello.height, 0);
  await waitUntil('the oldest silent connection to be closed for it', 5000, () => clients[0].closed);

  // Pings do not keep the rest alive past the handshake deadline.
  const ping = setInterval(() => clients.slice(1, 64).forEach((c, i) => !c.closed && c.send({ type: 'ping', nonce: `again-${i}` })), 500);
  try {
    await waitUntil('every silent connection closed', 9000, () => clients.slice(0, 64).every((c) => c.closed));
  } finally {
    clearInterval(ping);
  }
  assert.not.ok(honest.closed, 'the node that said hello stays');
  assert.is(node.node.network.peerCount, 1);
});

test.run();
