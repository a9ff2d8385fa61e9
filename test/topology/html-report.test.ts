// The HTML page of migrate-check as a pure function: every node of the model
// is drawn, every finding has an anchor and every mark links to one, the
// failing differences are marked on both drawings, input cannot inject markup,
// the page is byte-identical for the same input, and it fetches nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatHtmlReport } from '../../cli/report/migrate-check.html.ts';
import { escapeHtml, html } from '../../cli/report/html.ts';
import { migrateCheckWithTopologies } from '../../cli/topology/migrate-check.ts';
import { FIXTURE_PAIRS, modelNodes, renderPair, type FixturePair } from './html-pairs.ts';
import { devenv, tempDir } from './helpers.ts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ids = (page: string) => [...page.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
const markLinks = (page: string) => [...page.matchAll(/<a class="mark[^"]*" href="#([^"]+)"/g)].map((m) => m[1]);
const sideOf = (page: string, side: 'compose' | 'kubernetes') => {
  const start = page.indexOf(`<svg class="topology" data-side="${side}"`);
  assert.ok(start >= 0, `no ${side} drawing`);
  return page.slice(start, page.indexOf('</svg>', start));
};

test('the pairs under test include the corpus and a foreign project', () => {
  const names = FIXTURE_PAIRS.map((p) => p.name);
  for (const n of ['shop', 'corpus/helm-shop', 'corpus/kompose-blog', 'corpus/sidecar-gateway', 'corpus/build-stages', 'defects/nodeport']) assert.ok(names.includes(n), n);
});

for (const pair of FIXTURE_PAIRS) {
  test(`${pair.name}: every node of the model is drawn`, async () => {
    const { checked, page } = await renderPair(pair);
    const expected = modelNodes(checked);
    assert.ok(expected.length >= 2, 'a pair has at least a service and a workload');
    const missing = expected.filter((n) => !page.includes(n));
    assert.equal(missing, [], `not drawn: ${missing.join(', ')}`);
  });

  test(`${pair.name}: every finding has an anchor, every mark links to one, failing ones are marked`, async () => {
    const { checked, page } = await renderPair(pair);
    const anchors = new Set(ids(page));
    checked.report.findings.forEach((f, i) => {
      assert.ok(anchors.has(`finding-${i + 1}`), `finding ${f.id} has no anchor`);
      assert.ok(page.includes(`id="finding-${i + 1}" data-finding-id="${escapeHtml(f.id)}"`), `anchor ${i + 1} is not ${f.id}`);
    });
    for (const target of markLinks(page)) assert.ok(anchors.has(target), `a mark links to #${target}, which is not on the page`);
    // A failing difference with a located side is marked on that side's drawing.
    const compose = sideOf(page, 'compose');
    const kubernetes = sideOf(page, 'kubernetes');
    checked.report.findings.forEach((f, i) => {
      if (f.accepted || f.severity === 'info') return;
      const link = `href="#finding-${i + 1}"`;
      if (f.compose?.location && checked.compose.workloads.length) assert.ok(compose.includes(link), `${f.id}: not marked on the Compose drawing`);
      if (f.kubernetes?.location && checked.kubernetes.workloads.length) assert.ok(kubernetes.includes(link), `${f.id}: not marked on the Kubernetes drawing`);
    });
  });
}

test('the corpus: each seeded difference is marked on both drawings', async () => {
  for (const pair of FIXTURE_PAIRS.filter((p) => p.name.startsWith('corpus/'))) {
    const { checked, page } = await renderPair(pair);
    const failing = checked.report.findings.map((f, i) => ({ f, i })).filter(({ f }) => !f.accepted && f.severity !== 'info');
    assert.ok(failing.length >= 5, `${pair.name}: the corpus seeds differences`);
    for (const { f, i } of failing) {
      assert.ok(sideOf(page, 'compose').includes(`href="#finding-${i + 1}"`), `${pair.name} ${f.id}: no Compose mark`);
      assert.ok(sideOf(page, 'kubernetes').includes(`href="#finding-${i + 1}"`), `${pair.name} ${f.id}: no Kubernetes mark`);
    }
  }
});

test('the sidecar-gateway page draws what differs: jobs is dialled in Compose, unreachable in Kubernetes', async () => {
  const { page } = await renderPair(FIXTURE_PAIRS.find((p) => p.name === 'corpus/sidecar-gateway')!);
  assert.ok(sideOf(page, 'compose').includes('data-from="compose/service/api" data-to="compose/service/jobs"'), 'Compose: api dials jobs');
  assert.not.ok(sideOf(page, 'kubernetes').includes('data-to="kubernetes/workload/Deployment/jobs"'), 'Kubernetes: no Service jobs, so no edge to it');
  assert.ok(sideOf(page, 'kubernetes').includes('data-from="kubernetes/node-port/30443"'), 'the NodePort path starts at its node port');
});

test('a report about another project never names this project', async () => {
  for (const pair of FIXTURE_PAIRS.filter((p) => p.name === 'shop' || p.name.startsWith('corpus/'))) {
    const { page } = await renderPair(pair);
    for (const word of ['miner', 'webserver', 'blockchain', 'devenv']) assert.not.ok(page.toLowerCase().includes(word), `${pair.name}: the page says ${word}`);
  }
});

test('the same input gives a byte-identical page', async () => {
  for (const pair of FIXTURE_PAIRS.filter((p) => p.name === 'base' || p.name.startsWith('corpus/'))) {
    const a = (await renderPair(pair)).page;
    const b = (await renderPair(pair)).page;
    assert.ok(a === b, `${pair.name}: two renders differ`);
  }
});

test('the page fetches nothing: no http(s) reference, no external script, font or stylesheet', async () => {
  for (const pair of FIXTURE_PAIRS) {
    const { page } = await renderPair(pair);
    // http(s) may be text (a probe URL in a message), never a reference: every link is an anchor on the page.
    const refs = [...page.matchAll(/\b(?:href|src|action|srcset)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
    assert.equal(refs.filter((r) => !r.startsWith('#') && r !== 'data:,'), [], `${pair.name}: a reference off the page`);
    assert.not.ok(/url\(\s*['"]?(?!#)/i.test(page), `${pair.name}: a CSS url() that is not an in-page marker`);
    assert.not.ok(/<script|<link rel="stylesheet"|@import|@font-face|<iframe|<object|<embed/i.test(page), `${pair.name}: an external resource`);
    assert.ok(/^<link rel="icon" href="data:,">$/m.test(page), 'the favicon is inline, so the browser asks for none');
  }
});

const HOSTILE = '<script>alert(1)</script>';

test('a hostile name, image, port name or message is escaped, never markup', async () => {
  const dir = tempDir('mc-html-hostile-');
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  write('compose/docker-compose.yml', `services:\n  "${HOSTILE}":\n    image: "x\\"><img src=x onerror=alert(2)>"\n    ports: ["8080:80"]\n    environment:\n      PEER: "</text><script>alert(3)</script>:80"\n    volumes: ["</svg><b>vol:/data"]\nvolumes:\n  "</svg><b>vol": {}\n`);
  write('manifests/all.yaml', `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: "'><svg onload=alert(4)>"\n          ports: [{containerPort: 80, name: "a<b"}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80, targetPort: "a<b", nodePort: 30080}]\n`);
  const checked = await migrateCheckWithTopologies({ cwd: dir, composeFiles: ['compose/docker-compose.yml'], manifests: ['manifests'], environment: {}, accept: null });
  assert.ok(checked.compose.workloads.some((w) => w.name === HOSTILE), 'the loader kept the hostile name (else this test tests nothing)');
  const page = formatHtmlReport(checked);
  for (const bad of ['<script', '<img', '<svg onload', '<b>']) assert.not.ok(page.includes(bad), `raw markup from input: ${bad}`);
  assert.ok(page.includes(`data-node="compose/service/${escapeHtml(HOSTILE)}"`), 'the hostile service is drawn, escaped');
  assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'shown as text');
  assert.ok(page.includes('x&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'), 'the image shown as text, its quote closing no attribute');
});

test('the html tag escapes every interpolation and keeps only its own markup', () => {
  assert.is(html`<p title="${'"x\' & <y>'}">${['<a>', html`<i>${'<b>'}</i>`]}</p>`.text, '<p title="&quot;x&#39; &amp; &lt;y&gt;">&lt;a&gt;<i>&lt;b&gt;</i></p>');
  assert.is(html`${null}${undefined}${false}${0}`.text, '0');
});

test('devenv migrate-check --format html writes the page to stdout, or to --output with the verdict on stderr', () => {
  const pair = FIXTURE_PAIRS.find((p) => p.name === 'corpus/helm-shop') as FixturePair;
  const args = ['migrate-check', '--compose', join(pair.dir, pair.compose), '--manifests', join(pair.dir, pair.manifests), '--format', 'html'];
  const out = devenv(args, tempDir('mc-html-cli-'));
  assert.is(out.code, 4, out.stderr);
  assert.ok(out.stdout.startsWith('<!DOCTYPE html>') && out.stdout.trimEnd().endsWith('</html>'), out.stdout.slice(0, 200));
  const cwd = tempDir('mc-html-cli-');
  const file = devenv([...args, '--output', 'page.html'], cwd);
  assert.is(file.code, 4, file.stderr);
  assert.is(file.stdout, '');
  assert.equal(file.stderr.trimEnd().split('\n'), ['Wrote the html report to page.html.', 'Drift found: 2 error and 4 warn not accepted (2 error, 4 warn, 17 info).']);
  assert.is(devenv([...args, '--output', 'missing/dir/page.html'], cwd).code, 2, 'an unwritable --output is an input error');
  assert.is(readFileSync(join(cwd, 'page.html'), 'utf8'), out.stdout);
});

test.run();
