// Issue 15, defect 1: two sides of a partition that each mine past one sync
// batch must converge when they meet again. Blocks are built directly at
// 1-bit difficulty, so hundreds of them cost milliseconds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Block } from '../../images/blockchain-node/src/chain/block.ts';
import { child, genesis, wallet, type TestWallet } from './helpers/chain-fixtures.ts';
import { startInProcessNode, stopInProcess, type InProcessNode } from './helpers/in-process-node.ts';
import { waitUntil } from './helpers/node-process.ts';

function branch(from: Block, count: number, miner: string, transfersFor: (i: number) => ReturnType<TestWallet['transfer']>[] = () => []): Block[] {
  const out: Block[] = [];
  let tip = from;
  for (let i = 0; i < count; i++) {
    tip = child(tip, miner, transfersFor(i));
    out.push(tip);
  }
  return out;
}

let nodes: InProcessNode[] = [];
test.after.each(async () => {
  await stopInProcess(nodes);
  nodes = [];
});

async function converge(a: InProcessNode, b: InProcessNode, expectedTip: string, expectedHeight: number): Promise<void> {
  await waitUntil(`both nodes on ${expectedTip} at height ${expectedHeight}`, 30_000, () =>
    a.node.chain.tip?.block.hash === expectedTip && b.node.chain.tip?.block.hash === expectedTip,
  ).catch((err) => {
    throw new Error(`${(err as Error).message}; heights ${a.node.chain.height} and ${b.node.chain.height}`);
  });
  assert.is(a.node.chain.height, expectedHeight);
  assert.is(b.node.chain.height, expectedHeight);
}

test('a partition of 300 vs 450 blocks heals: the shorter side downloads the whole longer branch', async () => {
  const g = genesis(1);
  const a = branch(g, 300, 'minerAminerAminerA');
  const b = branch(g, 450, 'minerBminerBminerB');
  const left = await startInProcessNode({ name: 'left', blocks: [g, ...a] });
  nodes.push(left);
  assert.is(left.node.chain.height, 300);
  const right = await startInProcessNode({ name: 'right', blocks: [g, ...b], connect: left.addr });
  nodes.push(right);
  await converge(left, right, b.at(-1)!.hash, 450);
  assert.match(left.logs(), /chain reorganised height=301 .*disconnected=300 connected=301/);
});

test('10 vs 15 full blocks with a small message limit (one block per batch) converge', async () => {
  const g = genesis(1);
  // 18 funded senders, 50 coins each, spend 1 coin 50 times: 15 blocks of 60 transfers.
  const senders = Array.from({ length: 18 }, () => wallet());
  const funding = senders.map((s) => s.address);
  const prefix: Block[] = [];
  let tip = g;
  for (const address of funding) prefix.push((tip = child(tip, address)));
  const nonces = new Map<string, number>();
  const sets = Array.from({ length: 15 }, (_, k) =>
    Array.from({ length: 60 }, (_, j) => {
      const s = senders[(k * 60 + j) % senders.length];
      const n = (nonces.get(s.address) ?? 0) + 1;
      nonces.set(s.address, n);
      return s.transfer('recipient000000001', 1, n);
    }),
  );
  const a = branch(tip, 10, 'minerAminerAminerA', (i) => sets[i]);
  const b = branch(tip, 15, 'minerBminerBminerB', (i) => sets[i]);
  const small = { NODE_MAX_MESSAGE_BYTES: String(64 * 1024) };
  assert.ok(JSON.stringify(b[0]).length * 2 > 32 * 1024, 'two blocks do not fit in half the message limit');
  const left = await startInProcessNode({ name: 'left', blocks: [g, ...prefix, ...a], env: small });
  nodes.push(left);
  const right = await startInProcessNode({ name: 'right', blocks: [g, ...prefix, ...b], connect: left.addr, env: small });
  nodes.push(right);
  await converge(left, right, b.at(-1)!.hash, prefix.length + 15);
  assert.is(left.node.chain.ledger.account('recipient000000001').balance, 900);
});

test.run();
