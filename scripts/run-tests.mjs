#!/usr/bin/env node
// Runs every test/**/*.test.ts file in its own Node process (uvu + tsx), so a
// file that needs Docker or a control plane cannot leak state into another,
// and prints one final line: "N passed, N failed, N skipped".
//
// Usage: npm test [-- <filter substring>...]
// A test file that cannot run here registers its tests with `skipIf()` from
// test/helpers/skip.ts, which prints "skipped: <reason>"; uvu counts them.
//
// Nothing passes by not running:
// - a filter that matches no file is a failure (a typo would otherwise be green);
// - an error thrown in a uvu before/after hook is printed and counted
//   (scripts/uvu-hook-errors.mjs: uvu itself swallows it);
// - DEVENV_TEST_NO_SKIP=1 (set by .ci/run) turns every skip into a failure,
//   so a CI run where the Docker, control-plane or kind tests could not run
//   is red, with the reason.
// DEVENV_TEST_DIR lists another directory (the runner's own tests use
// fixtures); DEVENV_TEST_BUILD=0 skips the build (such a run starts no CLI).
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);
const concurrency = Number(process.env.DEVENV_TEST_CONCURRENCY ?? 2);
const noSkip = process.env.DEVENV_TEST_NO_SKIP === '1';
const testDir = resolve(root, process.env.DEVENV_TEST_DIR ?? 'test');
const hookErrors = pathToFileURL(join(root, 'scripts/uvu-hook-errors.mjs')).href;

function listTests(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    // fixtures/ holds inputs of tests (the runner's own fixture tests among them), never tests of this run.
    if (statSync(p).isDirectory()) { if (name !== 'fixtures') out.push(...listTests(p)); }
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// Files that drive the Docker daemon or long-lived processes never run two of
// a kind at once.
const isSerial = (f) => /\.(docker|e2e|serial)\.test\.ts$/.test(f);
// Two serial lanes run side by side: files that use the Docker daemon and the
// fixed host ports (8080, 2101, 6379; *.docker, *.e2e) one at a time, and
// files that start long-lived processes on run-time ports (*.serial: control
// planes, node networks) one at a time.
const isHostLane = (f) => /\.(docker|e2e)\.test\.ts$/.test(f);

async function build() {
  const res = await runProcess(process.execPath, [join(root, 'scripts/build.mjs')], { quiet: false });
  if (res.code !== 0) {
    console.log('the build (scripts/build.mjs) failed: no test ran against a stale dist/');
    console.log('0 passed, 1 failed, 0 skipped');
    process.exit(1);
  }
}

function runProcess(cmd, args, { quiet, onSpawn }) {
  return new Promise((resolve) => {
    // Its own process group, so a file that times out is killed with its children.
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    onSpawn?.(child);
    live.add(child);
    child.on('exit', () => live.delete(child));
    let out = '';
    child.stdout.on('data', (d) => { out += d; if (!quiet) process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; if (!quiet) process.stderr.write(d); });
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, out }));
  });
}

function parseCounts(out) {
  // uvu prints "Total: N", "Passed: N", "Skipped: N" once per process.
  const num = (label) => {
    const m = [...out.matchAll(new RegExp(`${label}:\\s+(\\d+)`, 'g'))];
    return m.length ? Number(m[m.length - 1][1]) : undefined;
  };
  return { total: num('Total'), passed: num('Passed'), skipped: num('Skipped') };
}

// Test files run in their own process groups: pass Ctrl-C (or CI's TERM) on to them.
const live = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const c of live) { try { process.kill(-c.pid, 'SIGTERM'); } catch { /* gone */ } }
    process.exit(130);
  });
}

const defaultFileTimeoutMs = Number(process.env.DEVENV_TEST_FILE_TIMEOUT_MS ?? 15 * 60 * 1000);

// A file that needs longer (a whole kind cluster's life) says so in its first
// lines: `// test-timeout-minutes: 40`.
function fileTimeoutMs(file) {
  const head = readFileSync(file, 'utf8').split('\n', 10).join('\n');
  const m = /test-timeout-minutes:\s*(\d+)/.exec(head);
  return m ? Math.max(Number(m[1]) * 60_000, defaultFileTimeoutMs) : defaultFileTimeoutMs;
}

// "skipped: <reason>" / "measured: <figure>" lines a test prints (uvu may put
// its progress marks on the same line, before them).
const SKIP_OR_MEASURED = /^[\s•✘]*((?:skipped|measured): .*)$/;

async function runFile(file) {
  const rel = relative(root, file);
  const perFileTimeoutMs = fileTimeoutMs(file);
  const started = Date.now();
  let proc;
  const child = runProcess(process.execPath, ['--import', 'tsx', '--import', hookErrors, file], { quiet: true, onSpawn: (c) => (proc = c) });
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve({ timedOut: true }), perFileTimeoutMs); });
  const res = await Promise.race([child, timeout]);
  clearTimeout(timer);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (res.timedOut) {
    // Kill the whole group (test file, nodes, servers it started) before the next file needs the ports.
    try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* already gone */ }
    await child;
    return { rel, passed: 0, failed: 1, skipped: 0, out: `timed out after ${perFileTimeoutMs} ms`, secs };
  }
  const c = parseCounts(res.out);
  let passed = c.passed ?? 0;
  let skipped = c.skipped ?? 0;
  // uvu's Total counts the tests that ran; skipped ones are reported apart.
  let failed = (c.total ?? 0) - passed;
  // A crash before uvu could report, or a non-zero exit with nothing failed, is one failure.
  if (c.total === undefined || (res.code !== 0 && failed === 0)) failed = Math.max(failed, 1);
  // Each failed hook is one failure at least (a failed before hook also fails its suite's tests).
  // Anywhere in the output: stderr's line may land after a partial line of uvu's stdout.
  const hookFailures = res.out.split('hook failed: ').length - 1;
  failed = Math.max(failed, hookFailures);
  const skipReasons = res.out.split('\n').filter((l) => SKIP_OR_MEASURED.exec(l)?.[1].startsWith('skipped: ')).map((l) => l.trim());
  const notes = [];
  // A file may also print "skipped:" for a half it does not run, registering no skipped test.
  if (noSkip && (skipped > 0 || skipReasons.length > 0)) {
    failed += Math.max(skipped, 1);
    notes.push(`DEVENV_TEST_NO_SKIP=1: ${Math.max(skipped, 1)} skip(s) counted as failures${skipReasons.length ? '' : ' (no reason printed)'}`);
    skipped = 0;
  }
  return { rel, passed, failed, skipped, out: res.out, secs, notes };
}

const all = listTests(testDir);
// Filters match the path from the repository root (test/unit/...): the checkout's own path must not match everything.
const rel = (f) => relative(root, f);
const unmatched = filters.filter((s) => !all.some((f) => rel(f).includes(s)));
if (unmatched.length || all.length === 0) {
  for (const s of unmatched) console.log(`no test file matches the filter "${s}" (test files: ${relative(root, testDir)}/**/*.test.ts)`);
  if (all.length === 0) console.log(`no test file under ${relative(root, testDir)}/`);
  console.log(`0 passed, ${Math.max(unmatched.length, 1)} failed, 0 skipped`);
  process.exit(1);
}
if (process.env.DEVENV_TEST_BUILD !== '0') await build();
const files = all.filter((f) => filters.length === 0 || filters.some((s) => rel(f).includes(s)));
const parallel = files.filter((f) => !isSerial(f));
const serial = files.filter(isSerial);
const results = [];

function report(r) {
  const verdict = r.failed ? 'FAIL' : 'ok  ';
  console.log(`${verdict} ${r.rel} (${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped, ${r.secs}s)`);
  // "skipped: <reason>" and "measured: <figure>" lines are shown even when the file passed.
  // (uvu prints its progress marks on the same line, before them.)
  for (const line of r.out.split('\n')) {
    const m = SKIP_OR_MEASURED.exec(line);
    if (m) console.log(`     ${m[1].trim()}`);
  }
  for (const note of r.notes ?? []) console.log(`     ${note}`);
  if (r.failed) console.log(r.out.split('\n').map((l) => '     | ' + l).join('\n'));
}

let next = 0;
async function worker() {
  while (next < parallel.length) {
    const f = parallel[next++];
    const r = await runFile(f);
    report(r);
    results.push(r);
  }
}
async function lane(list) {
  for (const f of list) {
    const r = await runFile(f);
    report(r);
    results.push(r);
  }
}
// The host lane (Docker, kind: most of a CI run, and mostly waiting on
// containers) starts with the parallel files, which neither use the Docker
// daemon nor read the fixed host ports' state; the other serial lane (CPU-heavy
// control planes and node networks) waits until they are done.
const hostLane = lane(serial.filter(isHostLane));
await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
await Promise.all([hostLane, lane(serial.filter((f) => !isHostLane(f)))]);

const sum = (k) => results.reduce((a, r) => a + r[k], 0);
const passed = sum('passed'), failed = sum('failed'), skipped = sum('skipped');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
