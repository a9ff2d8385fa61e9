// The HTML page of migrate-check in a real browser: Debian's headless Chromium
// renders it from a file (no network), prints the rendered DOM and writes a
// screenshot under test-results/ (a CI artifact). Each page must render with
// no console message (the page has no script, so any message is an error: a
// blocked resource, a parse failure) and with every node of the model in the
// rendered DOM. Skipped, with the reason, where /usr/bin/chromium is absent;
// .ci/run installs it so CI never skips.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as assert from 'uvu/assert';
import { skipIf } from '../helpers/skip.ts';
import { ROOT, tempDir } from './helpers.ts';
import { FIXTURE_PAIRS, modelNodes, renderPair, type FixturePair } from './html-pairs.ts';
import { formatHtmlReport } from '../../cli/report/migrate-check.html.ts';
import { migrateCheckWithTopologies } from '../../cli/topology/migrate-check.ts';
import { acceptRows, row, seen, summarize } from '../../cli/compare/rows.ts';

const CHROMIUM = '/usr/bin/chromium';
const RESULTS = join(ROOT, 'test-results');
/** One page renders in about a second; a hung browser fails the test instead of the run. */
const RENDER_TIMEOUT_MS = 45_000;

const test = skipIf(!existsSync(CHROMIUM) && `${CHROMIUM} is absent (apt-get install chromium)`);

interface Rendered {
  code: number | null;
  dom: string;
  console: string[];
  log: string;
}

/** Renders a file in headless Chromium with a fresh profile; the process group is killed on timeout. */
function render(file: string, screenshot: string): Promise<Rendered> {
  const profile = tempDir('mc-chromium-');
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--enable-logging=stderr', '--v=0',
    `--screenshot=${screenshot}`, '--window-size=1400,1000', '--dump-dom', pathToFileURL(file).href,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let dom = '';
    let log = '';
    child.stdout.on('data', (d) => (dom += d));
    child.stderr.on('data', (d) => (log += d));
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`chromium did not finish within ${RENDER_TIMEOUT_MS / 1000}s:\n${log.slice(-2000)}`));
    }, RENDER_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      // Chromium logs what the page writes to its console as `INFO:CONSOLE(line)] "message", source: ...`.
      const console = log.split('\n').filter((l) => l.includes(':CONSOLE'));
      resolve({ code, dom, console, log });
    });
  });
}

function assertScreenshot(png: string) {
  assert.ok(existsSync(png), `no screenshot at ${png}`);
  const bytes = readFileSync(png);
  assert.equal([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG', 'a PNG file');
  // A blank 1400x1000 page compresses to a few KB; a drawn one is far larger.
  assert.ok(statSync(png).size > 30_000, `the screenshot is ${statSync(png).size} bytes: nothing drawn?`);
}

test('the console check sees an error: a page that logs one is caught', async () => {
  const dir = tempDir('mc-html-browser-');
  const page = join(dir, 'broken.html');
  writeFileSync(page, '<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body><p>x</p><script>console.error("marker-7"); missingFunction();</script></body></html>');
  const r = await render(page, join(dir, 'broken.png'));
  assert.is(r.code, 0, r.log.slice(-2000));
  assert.ok(r.console.some((l) => l.includes('marker-7')), `console.error not seen:\n${r.log.slice(-2000)}`);
  assert.ok(r.console.some((l) => l.includes('missingFunction')), 'the uncaught error not seen');
});

const PAIRS: FixturePair[] = [
  { name: 'devenv', dir: ROOT, compose: 'compose/docker-compose.yml', manifests: 'manifests' },
  ...FIXTURE_PAIRS.filter((p) => p.name === 'shop' || p.name.startsWith('corpus/') || p.name === 'defects/nodeport'),
];

for (const pair of PAIRS) {
  test(`${pair.name}: the page renders in Chromium without console errors, every node in the DOM, a screenshot in test-results/`, async () => {
    const { checked, page } = await renderPair(pair);
    const dir = tempDir('mc-html-browser-');
    const file = join(dir, 'migrate-check.html');
    writeFileSync(file, page);
    mkdirSync(RESULTS, { recursive: true });
    const png = join(RESULTS, `migrate-check-${pair.name.replace(/\//g, '-')}.png`);
    const r = await render(file, png);
    assert.is(r.code, 0, r.log.slice(-2000));
    assert.equal(r.console, [], 'console messages');
    assert.ok(r.dom.includes('<svg class="topology" data-side="compose"') && r.dom.includes('<svg class="topology" data-side="kubernetes"'), 'both drawings in the rendered DOM');
    const missing = modelNodes(checked).filter((n) => !r.dom.includes(n));
    assert.equal(missing, [], `nodes missing from the rendered DOM: ${missing.join(', ')}`);
    const marks = (page.match(/<a class="mark/g) ?? []).length;
    assert.is((r.dom.match(/<a class="mark/g) ?? []).length, marks, 'every mark survives parsing');
    assertScreenshot(png);
  });
}

test('devenv compare --html: the run-time rows below the drawings, the node of a differing row marked on both sides, no console errors, a screenshot', async () => {
  // With the repository's accept file: it accepts the webserver replicas at run time too.
  const checked = await migrateCheckWithTopologies({ cwd: ROOT, composeFiles: ['compose/docker-compose.yml'], manifests: ['manifests'], environment: {}, accept: 'migrate-check.accept.yaml' });
  const rows = acceptRows(
    [
      row('api', 'webserver_1', 'GET /api/v1/blockchain', seen('200 {data, error, success}'), seen('200 {data, error, success}')),
      row('rate-limit', 'webserver_1', 'limit per client (X-RateLimit-Limit)', seen('100'), seen('60'), 'the two sides limit a client differently'),
      row('config', 'webserver', 'replicas running', seen('1 (webserver_1)', '1'), seen('2 (webserver-0, webserver-1)', '2')),
      row('restart', 'miner_2', 'comes back after a stop', seen('yes (4.3 s, miner_2)', 'yes'), seen('yes (9.2 s, miner-1)', 'yes')),
    ],
    checked.runtimeAcceptances,
  );
  const runtime = { rows, summary: summarize(rows), sides: { compose: { label: 'Compose project devenv', api: 'http://127.0.0.1:8080' }, kubernetes: { label: 'kind cluster devenv', api: 'http://127.0.0.1:18080' } } };
  const page = formatHtmlReport({ ...checked, runtime });
  const dir = tempDir('mc-html-browser-');
  const file = join(dir, 'compare.html');
  writeFileSync(file, page);
  mkdirSync(RESULTS, { recursive: true });
  const png = join(RESULTS, 'compare-devenv.png');
  const r = await render(file, png);
  assert.is(r.code, 0, r.log.slice(-2000));
  assert.equal(r.console, [], 'console messages');
  assert.is((r.dom.match(/<tr class="row /g) ?? []).length, 4, 'a table row a run-time row');
  assert.match(r.dom, /<tr class="row different"[^>]*>.*limit per client/);
  assert.match(r.dom, /<tr class="row accepted"[^>]*>.*replicas running/, 'the repository accepts its webserver replicas');
  // The differing row is about webserver_1: the Compose service and its Kubernetes workload are marked, and linked.
  assert.match(r.dom, /<g class="node compose-service[^"]*runtime-differs" id="compose-node-\d+" data-node="compose\/service\/webserver_1"/);
  assert.match(r.dom, /<g class="node workload[^"]*runtime-differs" id="kubernetes-node-\d+" data-node="kubernetes\/workload\/StatefulSet\/webserver"/);
  const missing = modelNodes(checked).filter((n) => !r.dom.includes(n));
  assert.equal(missing, []);
  assertScreenshot(png);
});

test.run();
