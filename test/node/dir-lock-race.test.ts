// Issue 15, defect 6: the data-directory lock under simultaneous starts.
// Several processes ask for the same lock at the same instant, round after
// round, on a fresh directory and on one whose holder was killed (a stale
// lock): exactly one of them may get it every time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './helpers/node-process.ts';

const CONTENDERS = 5;
const ROUNDS = 12;
const script = fileURLToPath(new URL('./helpers/lock-contender.ts', import.meta.url));

interface Contender {
  proc: ChildProcess;
  lines: string[];
}

let root = '';
let contenders: Contender[] = [];

test.before(async () => {
  root = mkdtempSync(join(tmpdir(), 'lock-race-'));
  contenders = Array.from({ length: CONTENDERS }, () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const c: Contender = { proc, lines: [] };
    let buf = '';
    proc.stdout!.on('data', (d) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        c.lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    return c;
  });
  await waitUntil('every contender ready', 60_000, () => contenders.every((c) => c.lines.includes('ready')));
});

test.after(() => {
  for (const c of contenders) c.proc.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** All contenders ask at once; returns how many got the lock, then everyone lets go. */
async function round(dir: string): Promise<{ locked: number; answers: string[] }> {
  for (const c of contenders) c.lines.length = 0;
  for (const c of contenders) c.proc.stdin!.write(`acquire ${dir}\n`);
  await waitUntil('every contender to answer', 20_000, () => contenders.every((c) => c.lines.length > 0), 10);
  const answers = contenders.map((c) => c.lines[0]);
  for (const c of contenders) c.proc.stdin!.write('release\n');
  await waitUntil('every contender to release', 20_000, () => contenders.every((c) => c.lines.includes('released')), 10);
  return { locked: answers.filter((a) => a === 'locked').length, answers };
}

/** A lock socket whose holder is gone: the file is there, nobody listens. */
async function staleSocket(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const live = join(dir, 'holder.sock');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(live, resolve));
  linkSync(live, join(dir, 'LOCK.sock'));
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

for (const [what, sub] of [['socket', 'd'], ['pid-file', 'x'.repeat(120)]] as const) {
  test(`${what} lock: ${CONTENDERS} simultaneous starts on a fresh directory, ${ROUNDS} rounds: one holder each time`, async () => {
    for (let r = 0; r < ROUNDS; r++) {
      const { locked, answers } = await round(join(root, `fresh-${what}-${r}`, sub));
      assert.is(locked, 1, `round ${r}: ${answers.join(', ')}`);
    }
  });
}

test(`socket lock: ${CONTENDERS} simultaneous starts over a stale lock, ${ROUNDS} rounds: one holder each time`, async () => {
  for (let r = 0; r < ROUNDS; r++) {
    const dir = join(root, `stale-${r}`);
    await staleSocket(dir);
    const { locked, answers } = await round(dir);
    assert.is(locked, 1, `round ${r}: ${answers.join(', ')}`);
  }
});

test.run();
