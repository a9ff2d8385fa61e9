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

test('2. sidecars: a sidecar\'s env, mounted config file and health check are compared like a main container\'s', async () => {
  const { dir, report } = await load('sidecar-details');
  assert.equal(report.pairings.map((p) => `${p.compose}=${p.kubernetes.name} via ${p.via}`), ['app=app via convention', 'exporter=app/exporter via sidecar']);
  const bad = unaccepted(report);
  assert.equal(bad.map((f) => `${f.severity} ${f.rule} ${f.service} ${f.subject}`), ['warn environment app/exporter SCRAPE_INTERVAL', 'warn config-files app/exporter /etc/exporter/config.yml timeout', 'warn healthchecks app/exporter readiness'], summarize(bad));
  const M = 'manifests/app.yaml';
  assert.equal(bad.map((f) => [at(f.compose), at(f.kubernetes)]), [
    [`${COMPOSE}:${lineOf(dir, COMPOSE, 'SCRAPE_INTERVAL')}`, `${M}:${lineOf(dir, M, 'value: 60s')}`],
    [`compose/exporter.yml:${lineOf(dir, 'compose/exporter.yml', 'timeout')}`, `${M}:${lineOf(dir, M, 'timeout: 30s')}`],
    [`${COMPOSE}:${lineOf(dir, COMPOSE, 'test: ["CMD"')}`, `${M}:${lineOf(dir, M, '- name: exporter')}`],
  ]);
});

test('5. build: without image: a dev target against the production image is a warning with that reason; never "a different program"', async () => {
  const { dir, report } = await load('build-target');
  assert.not.ok(report.findings.some((f) => f.rule === 'image' && f.severity === 'error'), summarize(report.findings));
  const bad = unaccepted(report);
  assert.equal(bad.map((f) => `${f.severity} ${f.rule} ${f.service} ${f.subject}`), ['warn image web image.build-target'], summarize(bad));
  assert.equal([at(bad[0].compose), at(bad[0].kubernetes)], [`${COMPOSE}:${lineOf(dir, COMPOSE, 'target: dev')}`, `manifests/app.yaml:${lineOf(dir, 'manifests/app.yaml', 'shop/web:1.4')}`]);
  assert.match(bad[0].message, /stage `dev` of app\/Dockerfile, not the last stage .*\(prod\)/);
  assert.match(bad[0].fix, /--target dev app/);
  // No target: what is built is said (info), with the context to build from.
  const worker = report.findings.find((f) => f.service === 'worker' && f.rule === 'image')!;
  assert.equal([worker.severity, worker.subject, at(worker.compose)], ['info', 'image.build', `${COMPOSE}:${lineOf(dir, COMPOSE, 'build: ../app')}`]);
});

test('6. a host port that became a nodePort is reported with both numbers; a NodePort Service port is not a host port', async () => {
  const { dir, report } = await load('nodeport');
  const ports = report.findings.filter((f) => f.rule === 'ports');
  assert.equal(ports.map((f) => `${f.severity} ${f.service} ${f.subject}`), ['info api host port 8080', 'info admin host port 9000']);
  assert.match(ports[0].message, /8080 -> 31000/);
  assert.equal([at(ports[0].compose), at(ports[0].kubernetes)], [`${COMPOSE}:${lineOf(dir, COMPOSE, '8080:80')}`, `manifests/all.yaml:${lineOf(dir, 'manifests/all.yaml', 'port: 8080')}`]);
  assert.match(ports[1].message, /9000 -> auto/);
  assert.equal(unaccepted(report), []);
});

test('7. networks: services Compose keeps apart are reported when no NetworkPolicy keeps them apart in Kubernetes', async () => {
  const { dir, report } = await load('networks');
  const bad = unaccepted(report);
  assert.equal(bad.map((f) => `${f.severity} ${f.rule} ${f.service} ${f.subject}`), ['warn networks proxy networks', 'warn networks db networks'], summarize(bad));
  assert.equal([at(bad[1].compose), at(bad[1].kubernetes)], [`${COMPOSE}:${lineOf(dir, COMPOSE, 'networks:', 'image: postgres')}`, `manifests/all.yaml:${lineOf(dir, 'manifests/all.yaml', 'apiVersion: apps/v1', 'name: api')}`]);
  assert.match(bad[1].message, /proxy shares no network with it/);
  // A NetworkPolicy selecting db's pods: compared by hand (info), not an alarm.
  const policy = '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db-from-api\nspec:\n  podSelector:\n    matchLabels: { app: db }\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels: { app: api }\n';
  const r2 = await check(materialize('defects/networks', [{ file: 'manifests/all.yaml', append: policy }]), { namespace: undefined });
  assert.equal(r2.findings.filter((f) => f.rule === 'networks').map((f) => `${f.severity} ${f.service}`), ['warn proxy', 'info db']);
});

test('8. a bind-mounted directory that became a ConfigMap volume is a volume; a script Compose runs needs defaultMode with x', async () => {
  const { dir, report } = await load('config-volumes');
  const bad = unaccepted(report);
  assert.equal(bad.map((f) => `${f.severity} ${f.rule} ${f.service} ${f.subject}`), ['error volumes web /usr/local/bin/healthcheck.sh mode'], summarize(bad));
  assert.equal([at(bad[0].compose), at(bad[0].kubernetes)], [`${COMPOSE}:${lineOf(dir, COMPOSE, 'test: ["CMD"')}`, `manifests/all.yaml:${lineOf(dir, 'manifests/all.yaml', '- name: health')}`]);
  assert.match(bad[0].message, /mode 0755.*mode 0644/);
  assert.match(bad[0].fix, /defaultMode: 0755/);
  const fixed = await check(materialize('defects/config-volumes', [{ file: 'manifests/all.yaml', find: '            name: web-health\n', replace: '            name: web-health\n            defaultMode: 0755\n' }]), { namespace: undefined });
  assert.equal(unaccepted(fixed), [], summarize(unaccepted(fixed)));
});

test('9. secrets: a literal on both sides is silent; a secret kept in .env but committed in the manifest is a warning', async () => {
  const { dir, report } = await load('secrets-literal');
  const bad = unaccepted(report);
  assert.equal(bad.map((f) => `${f.severity} ${f.rule} ${f.service} ${f.subject}`), ['warn secrets api DB_PASSWORD'], summarize(bad));
  assert.equal([at(bad[0].compose), at(bad[0].kubernetes)], [`${COMPOSE}:${lineOf(dir, COMPOSE, 'DB_PASSWORD:')}`, `manifests/all.yaml:${lineOf(dir, 'manifests/all.yaml', 'value: s3cret')}`]);
  assert.not.ok(report.findings.some((f) => f.subject === 'POSTGRES_PASSWORD'));
});

test('10. .env values that reference other variables are interpolated as Compose does (single quotes stay literal)', async () => {
  const { report } = await load('env-interpolation');
  assert.equal(unaccepted(report), [], summarize(unaccepted(report)));
  // Changing what DB_HOST says changes DATABASE_URL: the reference is followed, not compared as text.
  const dir = materialize('defects/env-interpolation', [{ file: 'compose/.env', find: 'DB_HOST=db', replace: 'DB_HOST=db-old' }]);
  const r2 = await check(dir, { namespace: undefined });
  const env = unaccepted(r2).filter((f) => f.subject === 'DATABASE_URL');
  assert.equal(env.map((f) => `${f.severity} ${f.rule}`), ['warn peers'], summarize(unaccepted(r2)));
  assert.match(env[0].message, /Compose dials postgres:\/\/app@db-old:5432\/app/);
  assert.equal([at(env[0].compose), at(env[0].kubernetes)], [`${COMPOSE}:${lineOf(dir, COMPOSE, 'DATABASE_URL:')}`, `manifests/all.yaml:${lineOf(dir, 'manifests/all.yaml', 'value: postgres://app@db')}`]);
});

test('11. cap_add, cap_drop, read_only, user, privileged against securityContext: equal is silent, a real difference is found', async () => {
  const { dir, report } = await load('security');
  const bad = unaccepted(report);
  assert.equal(bad.map((f) => `${f.severity} ${f.rule} ${f.service} ${f.subject}`), ['error security vpn capabilities', 'warn security vpn runAsUser', 'error security probe privileged'], summarize(bad));
  const M = 'manifests/all.yaml';
  assert.equal(bad.map((f) => [at(f.compose), at(f.kubernetes)]), [
    [`${COMPOSE}:${lineOf(dir, COMPOSE, 'cap_add: [NET_ADMIN]')}`, `${M}:${lineOf(dir, M, '- name: vpn')}`],
    [`${COMPOSE}:${lineOf(dir, COMPOSE, 'user: "1000"')}`, `${M}:${lineOf(dir, M, 'runAsUser: 2000')}`],
    [`${COMPOSE}:${lineOf(dir, COMPOSE, 'privileged: true')}`, `${M}:${lineOf(dir, M, '- name: probe')}`],
  ]);
  assert.not.ok(report.findings.some((f) => f.service === 'edge' && f.rule === 'security'), 'edge is migrated exactly');
  assert.not.ok(report.findings.some((f) => f.rule === 'unsupported' && /cap_add|cap_drop|read_only|user|privileged/.test(f.subject)));
});

test('13. two workloads of one kind and name in a folder are ambiguous: an error naming both files', async () => {
  const { dir, report } = await load('stale-copy');
  const bad = unaccepted(report);
  assert.equal(bad.map((f) => `${f.severity} ${f.rule} ${f.service} ${f.subject}`), ['error pairing web Deployment web defined 2 times'], summarize(bad));
  assert.equal([at(bad[0].kubernetes), at(bad[0].location ? { location: bad[0].location } : null)], [`manifests/web-old.yaml:${lineOf(dir, 'manifests/web-old.yaml', 'apiVersion')}`, 'manifests/web.yaml:1']);
  assert.equal(at(bad[0].compose), `${COMPOSE}:${lineOf(dir, COMPOSE, 'web:')}`);
  // The last one (what `kubectl apply -f` leaves) is compared: its image is the Compose one, so no image finding.
  assert.not.ok(report.findings.some((f) => f.rule === 'image'));
});

test('12. fixes are never empty or half-filled; the text report fits 80 columns; a foreign report names nothing of this project', async () => {
  for (const name of ['sidecars', 'dns-names', 'sidecar-details', 'build-target', 'nodeport', 'networks', 'config-volumes', 'secrets-literal', 'security', 'stale-copy']) {
    const { dir, report } = await load(name);
    for (const f of report.findings) assert.ok(f.fix.trim().length > 10 && !/\s{2}|\bto\s*[.,(]|\(\s*\)|:\s*$/.test(f.fix), `${f.rule} ${f.subject}: "${f.fix}"`);
    const cli = devenv(['migrate-check', '--compose', COMPOSE, '--manifests', 'manifests'], dir);
    for (const line of cli.stdout.split('\n')) assert.ok(line.length <= 80, `longer than 80 columns: ${line}`);
    assert.not.match(cli.stdout, /blockchain|miner|webserver|30080|32101|kind-config/);
  }
});

test.run();
