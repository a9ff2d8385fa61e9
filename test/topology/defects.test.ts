// The defects found by trying migrate-check on real projects (issue 11), one
// minimal pair each under test/fixtures/migrate-check/defects/<case>/: every
// test names the rule, severity and both locations of what must (or must not)
// be found. Each fixture is written for this test; none is copied.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check, devenv, FIXTURES, lineOf, materialize, summarize, tempDir, unaccepted } from './helpers.ts';

const COMPOSE = 'compose/docker-compose.yml';
const load = async (name: string, opts: Parameters<typeof check>[1] = {}) => {
  const dir = materialize(`defects/${name}`);
  return { dir, report: await check(dir, { namespace: undefined, ...opts }) };
};
const at = (f: { location: { file?: string; line?: number } | null } | null | undefined) => (f?.location ? `${f.location.file}:${f.location.line}` : null);

test('1. empty YAML documents (comments only, a trailing ---, an empty file) are skipped as kubectl does', async () => {
  const { report } = await load('empty-documents');
  assert.equal(report.pairings.map((p) => `${p.compose}=${p.kubernetes.kind}/${p.kubernetes.name}`), ['web=Deployment/web']);
  assert.equal(unaccepted(report), [], summarize(unaccepted(report)));
});

test('2. sidecars: a Compose service that became a second container pairs with it; its port is served; its image is compared', async () => {
  const { dir, report } = await load('sidecars');
  assert.equal(report.pairings.map((p) => `${p.compose}=${p.kubernetes.name} via ${p.via}`), ['api=api via convention', 'proxy=api/proxy via sidecar', 'shipper=api/shipper via sidecar']);
  const bad = unaccepted(report);
  assert.equal(bad.map((f) => `${f.severity} ${f.rule} ${f.service} ${f.subject}`), ['warn image api/proxy image.tag'], summarize(bad));
  assert.equal([at(bad[0].compose), at(bad[0].kubernetes)], [`${COMPOSE}:${lineOf(dir, COMPOSE, 'nginx:1.27')}`, `manifests/api.yaml:${lineOf(dir, 'manifests/api.yaml', 'nginx:1.26')}`]);
  // The Service's named targetPort is declared by the proxy container, not the first one: it has an endpoint.
  assert.not.ok(report.findings.some((f) => f.rule === 'ports' && f.severity === 'error'));
  // localhost from a sidecar is its own pod: the same peer as Compose's api:9000.
  assert.not.ok(report.findings.some((f) => f.rule === 'peers'));
  assert.ok(report.findings.some((f) => f.rule === 'dependencies' && f.severity === 'info' && /containers of one pod/.test(f.message)));
});


test('3. names Kubernetes rejects, and a Compose name with no Service behind it, are errors with both locations', async () => {
  const { dir, report } = await load('dns-names');
  const errors = report.findings.filter((f) => f.severity === 'error');
  assert.equal(errors.map((f) => `${f.rule} ${f.service} ${f.subject}`).sort(), ['dependencies worker depends_on cache', 'names queue-1 Service name', 'peers worker CACHE']);
  const name = errors.find((f) => f.rule === 'names')!;
  assert.equal([at(name.compose), at(name.kubernetes)], [`${COMPOSE}:${lineOf(dir, COMPOSE, 'queue_1:')}`, `manifests/all.yaml:${lineOf(dir, 'manifests/all.yaml', 'apiVersion: v1')}`]);
  assert.match(name.message, /kubectl apply` fails/);
  assert.match(name.fix, /name it queue-1/);
  const peer = errors.find((f) => f.rule === 'peers')!;
  assert.match(peer.message, /`cache` resolves in Compose; no Service named `cache` in namespace default/);
  assert.equal([at(peer.compose), at(peer.kubernetes)], [`${COMPOSE}:${lineOf(dir, COMPOSE, 'CACHE: cache:6379')}`, `manifests/all.yaml:${lineOf(dir, 'manifests/all.yaml', 'name: CACHE')}`]);
  assert.match(peer.fix, /^add a Service named cache selecting/);
});

test('4. objects without a namespace land in default, or --namespace; never in this project\'s namespace', async () => {
  assert.is((await load('dns-names')).report.inputs.namespace, 'default');
  const { report } = await load('dns-names', { namespace: 'shop' });
  assert.is(report.inputs.namespace, 'shop');
  assert.ok(report.findings.some((f) => /in namespace shop/.test(f.message)));
  const cli = devenv(['migrate-check', '--compose', `${FIXTURES}/defects/dns-names/compose/docker-compose.yml`, '--manifests', `${FIXTURES}/defects/dns-names/manifests`, '--json'], tempDir('mc-ns-'));
  const doc = JSON.parse(cli.stdout);
  assert.is(doc.inputs.namespace, 'default');
  assert.not.ok(/blockchain/.test(cli.stdout), 'this project\'s namespace never appears in a report about other files');
});

test('12. fixes are never empty or half-filled; the text report fits 80 columns; a foreign report names nothing of this project', async () => {
  for (const name of ['sidecars', 'dns-names']) {
    const { dir, report } = await load(name);
    for (const f of report.findings) assert.ok(f.fix.trim().length > 10 && !/\s{2}|\bto\s*[.,(]|\(\s*\)|:\s*$/.test(f.fix), `${f.rule} ${f.subject}: "${f.fix}"`);
    const cli = devenv(['migrate-check', '--compose', COMPOSE, '--manifests', 'manifests'], dir);
    for (const line of cli.stdout.split('\n')) assert.ok(line.length <= 80, `longer than 80 columns: ${line}`);
    assert.not.match(cli.stdout, /blockchain|miner|webserver|30080|32101|kind-config/);
  }
});

test.run();
