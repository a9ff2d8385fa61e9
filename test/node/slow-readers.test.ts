// Issue 15, defect 9: output queued for peers that do not read is bounded per
// peer (two messages' worth) and in total (sixteen); the slowest readers are
// dropped first.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Block } from '../../images/blockchain-node/src/chain/block.ts';
import { OutputBudget, type QueuedPeer } from '../../images/blockchain-node/src/p2p/output-budget.ts';
import { child, genesis } from './helpers/chain-fixtures.ts';
import { startInProcessNode, stopInProcess, type InProcessNode } from './helpers/in-process-node.ts';
import { P2pClient, waitUntil } from './helpers/node-process.ts';

class FakePeer implements QueuedPeer {
  dropped: string | null = null;
  constructor(public queuedBytes: number) {}
  drop(reason: string): void {
    this.dropped = reason;
    this.queuedBytes = 0;
  }
}

test('one peer may queue two messages, all peers together sixteen; the slowest go first', () => {
  const peers = [new FakePeer(0), new FakePeer(0), new FakePeer(0)];
  const budget = new OutputBudget(1000, () => peers);
  assert.is(budget.perPeer, 2000);
  assert.is(budget.total, 16_000);
  assert.ok(budget.admit(peers[0], 1500));
  peers[0].queuedBytes = 1500;
  assert.not.ok(budget.admit(peers[0], 600), 'over its own share');
  assert.match(peers[0].dropped!, /not reading its messages \(1500 bytes queued, limit 2000\)/);

  const many = Array.from({ length: 11 }, (_, i) => new FakePeer(1450 + i));
  const crowd = new OutputBudget(1000, () => many);
  // 11 queues of ~1.45 kB are ~16 kB: 400 bytes more from the least loaded peer do not fit.
  assert.ok(crowd.admit(many[0], 400));
  assert.ok(many[10].dropped, 'the slowest reader was dropped to make room');
  assert.equal(many.filter((p) => p.dropped).length, 1, 'one was enough');
  assert.is(many[0].dropped, null, 'the sender, a faster reader, stays');
});

let node: InProcessNode | undefined;
let client: P2pClient | undefined;
test.after(async () => {
  client?.close();
  await stopInProcess([node]);
});

test('a peer that asks for blocks and never reads is dropped once two messages are queued', async () => {
  const blocks: Block[] = [genesis(1)];
  for (let i = 0; i < 200; i++) blocks.push(child(blocks.at(-1)!, 'minerminerminer1'));
  node = await startInProcessNode({ name: 'target', blocks, env: { NODE_MAX_MESSAGE_BYTES: String(64 * 1024) } });
  client = await P2pClient.handshake(node.node.network.listenPort);
  client.socket.pause();
  // Each answer is ~32 kB: 2000 of them are ~64 MB, more than the kernel's socket buffers hold (a few MB by default).
  const ask = JSON.stringify({ type: 'get_blocks', locator: [blocks[0].hash] }) + '\n';
  client.sendRaw(ask.repeat(2000));
  await waitUntil('the node to drop the reader', 15_000, () => /dropping peer .*not reading its messages \(\d+ bytes queued, limit 131072\)/.test(node!.logs()));
  await waitUntil('no peer left', 5000, () => node!.node.network.peerCount === 0);
});

test.run();
