// Configuration errors stop the node at once with exit 1 and one clear line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNode, stopAll, withTimeout, type NodeProcess } from './helpers/node-process.ts';

const started: NodeProcess[] = [];
test.after(async () => stopAll(started));

async function failsWith(env: Record<string, string>, role: 'miner' | 'webserver', expected: RegExp | string): Promise<void> {
  const n = await startNode({ name: 'bad', role, env });
  started.push(n);
  const { code } = await withTimeout('the node to exit', 15_000, n.exited);
  assert.is(code, 1, n.logs());
  assert.match(n.logs(), expected);
}

test('miner and webserver at once is refused', async () => {
  await failsWith({ NODE_IS_WEB_SERVER: 'yes' }, 'miner', /ERROR NODE_IS_MINER and NODE_IS_WEB_SERVER are both "yes"/);
});

test('a mining address pool too short for the instance is refused', async () => {
  await failsWith({ WALLET_ADDRESS_POOL: 'pooladdress00001', INSTANCE_NUMBER: '2' }, 'miner', /WALLET_ADDRESS_POOL has 1 address\(es\) but this node is instance 2/);
});

test('an invalid Settings.toml names the file and the key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bad-settings-'));
  try {
    const path = join(dir, 'Settings.toml');
    writeFileSync(path, '[rate_limiter]\nredis_addr = "redis"\n');
    await failsWith({ RL_SETTINGS_PATH: path }, 'webserver', `ERROR ${path}: rate_limiter.redis_addr "redis" is not "host:port"`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
