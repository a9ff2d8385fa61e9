import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireDirLock, isStale, LockError } from '../../images/blockchain-node/src/store/dir-lock.ts';

const lockModule = fileURLToPath(new URL('../../images/blockchain-node/src/store/dir-lock.ts', import.meta.url));
let dir = '';
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'lock-'));
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

test('a second holder fails fast with the directory and the holder pid', async () => {
  const lock = await acquireDirLock(dir);
  assert.is(lock.mode, 'socket');
  try {
    await acquireDirLock(dir);
    assert.unreachable('second acquire must fail');
  } catch (err) {
    assert.instance(err, LockError);
    assert.match((err as Error).message, `could not acquire lock on ${dir}: held by pid ${process.pid}`);
  }
  await lock.release();
  const again = await acquireDirLock(dir);
  await again.release();
});

async function lockInChild(lockDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', `import(${JSON.stringify(lockModule)}).then(async (m) => { await m.acquireDirLock(${JSON.stringify(lockDir)}); console.log('locked'); setInterval(() => {}, 1000); })`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('child did not lock within 10 s')), 10_000);
    child.stdout!.on('data', (d) => String(d).includes('locked') && (clearTimeout(t), resolve()));
    child.once('exit', () => reject(new Error('child exited before locking')));
  });
  return child;
}

async function killed(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
}

for (const [mode, sub] of [['socket', ''], ['pidfile', 'x'.repeat(120)]] as const) {
  test(`${mode} lock: held while its holder lives, taken over after it is killed`, async () => {
    const lockDir = join(dir, sub);
    const child = await lockInChild(lockDir);
    try {
      let held: unknown;
      await acquireDirLock(lockDir).catch((e) => (held = e));
      assert.instance(held, LockError, 'held while the child lives');
      assert.match((held as Error).message, `could not acquire lock on ${lockDir}: held by pid ${child.pid}`);
      await killed(child);
      const lock = await acquireDirLock(lockDir);
      assert.is(lock.mode, mode);
      await lock.release();
    } finally {
      await killed(child);
    }
  });
}

test('staleness of a pid-file holder', () => {
  const self = { pid: process.pid, hostname: hostname() };
  assert.ok(isStale({ pid: process.pid, hostname: hostname(), since: '' }, self), 'own pid: container restarted as PID 1');
  assert.ok(isStale({ pid: 2 ** 22 + 12345, hostname: hostname(), since: '' }, self), 'dead pid');
  assert.not.ok(isStale({ pid: process.ppid, hostname: hostname(), since: '' }, self), 'live pid');
  assert.not.ok(isStale({ pid: 2 ** 22 + 12345, hostname: 'other-container', since: '' }, self), 'another host: cannot tell, not stale');
});

test.run();
