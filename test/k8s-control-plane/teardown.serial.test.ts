// test/helpers/control-plane.ts leaves nothing behind: not after stop(), not
// when startup fails, and not when the test process dies (signal, uncaught
// exception, unhandled rejection, process.exit, SIGKILL).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipIf } from '../helpers/skip.ts';
import { controlPlaneBinaries, startControlPlane } from '../helpers/control-plane.ts';
import { waitUntil } from './wait.ts';

const bin = controlPlaneBinaries();
const test = skipIf(bin ? false : 'no control plane binaries (bash scripts/k8s-test-control-plane.sh build)', suite('control plane teardown'));
const fixture = fileURLToPath(new URL('./fixtures/hold-control-plane.ts', import.meta.url));

/** Alive and not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
const readPids = (dir: string) => readFileSync(join(dir, 'pgids'), 'utf8').trim().split('\n').map(Number);

async function assertGone(dir: string, pids: number[], timeoutMs: number) {
  await waitUntil(`processes ${pids.join(', ')} gone and ${dir} removed`, timeoutMs,
    async () => pids.every((p) => !alive(p)) && !existsSync(dir),
    () => `alive: ${pids.filter(alive).join(', ') || 'none'}; dir exists: ${existsSync(dir)}`);
}

/** Runs the fixture in a child node; resolves once its control plane is up. */
function holdInChild(mode: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    exited.then((e) => reject(new Error(`fixture exited before READY (${JSON.stringify(e)}):\n${out}\n${err}`)));
  });
  return { child, ready, exited };
}

test('stop() ends every process group and removes the temp dir', async () => {
  const cp = await startControlPlane({ controllerManager: false, scheduler: false, kwok: false });
  const pids = readPids(cp.dir);
  assert.ok(pids.length >= 2 && pids.every(alive), 'etcd and kube-apiserver run');
  assert.ok((await cp.kubectl(['get', 'ns', 'default'])).code === 0);
  await cp.stop();
  await assertGone(cp.dir, pids, 5_000);
  await cp.stop(); // idempotent
});

test('a component that fails to start: the error shows its log, the rest is torn down', async () => {
  const fake = mkdtempSync(join(tmpdir(), 'devenv-cp-fakebin-'));
  try {
    symlinkSync(join(bin!, 'etcd'), join(fake, 'etcd'));
    writeFileSync(join(fake, 'kube-apiserver'), '#!/bin/sh\necho "fake apiserver: cannot start" >&2\nexit 1\n');
    chmodSync(join(fake, 'kube-apiserver'), 0o755);
    const runDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith('devenv-cp-') && !n.startsWith('devenv-cp-fakebin'));
    const before = new Set(runDirs());
    let error: Error | undefined;
    try {
      await startControlPlane({ binDir: fake, readyTimeoutMs: 20_000 });
    } catch (e) {
      error = e as Error;
    }
    assert.ok(error, 'startControlPlane rejected');
    assert.match(error!.message, /kube-apiserver exited/);
    assert.match(error!.message, /fake apiserver: cannot start/);
    const after = runDirs().filter((n) => !before.has(n));
    assert.equal(after, [], 'temp dir removed');
  } finally {
    rmSync(fake, { recursive: true, force: true });
  }
});

for (const [mode, signal] of [['wait', 'SIGTERM'], ['wait', 'SIGINT'], ['throw', null], ['reject', null], ['exit', null]] as const) {
  test(`test process ${signal ? `killed by ${signal}` : `ending by ${mode}`}: nothing left behind`, async () => {
    const h = holdInChild(mode);
    const dir = await h.ready;
    const pids = readPids(dir);
    assert.ok(pids.every(alive));
    if (signal) h.child.kill(signal);
    const e = await h.exited;
    if (mode !== 'wait') assert.is.not(e.code, 0);
    await assertGone(dir, pids, 15_000);
  });
}

test('test process SIGKILLed: the watchdog cleans up within seconds', async () => {
  const h = holdInChild('wait');
  const dir = await h.ready;
  const pids = readPids(dir);
  h.child.kill('SIGKILL');
  await h.exited;
  await assertGone(dir, pids, 10_000);
});

test.run();
