// The corpus (test/fixtures/migrate-check/corpus/): four realistic pairs of
// our own, each shaped like a different kind of project (Helm output with a
// namespace and labels; converter output with PVCs and NetworkPolicies;
// sidecars behind NodePorts in a kustomization; a dev-target build with
// segmented networks and a .env). Each README lists the seeded differences.
// Every error and warning is pinned here: a seeded difference that goes
// missing fails, and so does a new finding (docs/migrate-check.md gives each
// one a verdict; the precision there is computed from this list).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check, devenv, kubectlAvailable, materialize, summarize, unaccepted } from './helpers.ts';
import type { Report } from '../../cli/topology/migrate-check.ts';

const EXPECTED: Record<string, string[]> = {
  'helm-shop': [
    'error ports web service web port 80', // S4
    'warn ports web host port 3000', // S4: so no Service reaches what web listens on
    'warn image api image.tag', // S1
    'warn dependencies api depends_on postgres', // Compose waits for a healthy database; nothing waits in Kubernetes
    'warn environment worker QUEUE_NAME', // S2
    'error volumes postgres /var/lib/postgresql/data', // S3
  ],
  'kompose-blog': [
    'error ports app service app port 8080', // S2
    'warn ports app host port 8080', // S2: so no Service reaches what app listens on
    'warn environment app UPLOAD_LIMIT', // S4
    'warn healthchecks db readiness', // S3
    'error security cache capabilities', // S1
  ],
  'sidecar-gateway': [
    'error peers api JOBS_ADDR', // S3
    'error dependencies api depends_on jobs', // S3
    'warn replicas api replicas', // S5
    'error volumes api/proxy /opt/proxy/start.sh mode', // S2
    'warn environment api/proxy CLIENT_MAX_BODY', // S1
    'warn image api/shipper image.tag', // S4
  ],
  'build-stages': [
    'warn networks proxy networks', // S2
    'warn image api image.build-target', // S1
    'warn peers api NOTES_DB_URL', // S4
    'warn secrets api NOTES_DB_PASSWORD', // S3
    'warn networks db networks', // S2
  ],
};

const line = (f: Report['findings'][number]) => `${f.severity} ${f.rule} ${f.service} ${f.subject}`;

for (const [name, expected] of Object.entries(EXPECTED)) {
  test(`corpus ${name}: every seeded difference is found, and nothing else is an error or a warning`, async () => {
    const r = await check(materialize(`corpus/${name}`), { namespace: undefined });
    const bad = unaccepted(r);
    assert.equal(bad.map(line), expected, summarize(bad));
    for (const f of bad) {
      // Both sides located (a Kubernetes object the finding is about always has a file and line).
      assert.ok(f.kubernetes?.location?.file && f.kubernetes.location.line, `${line(f)}: no Kubernetes location`);
      assert.ok(f.compose?.location?.file && f.compose.location.line, `${line(f)}: no Compose location`);
    }
    assert.ok(r.pairings.length > 0 && r.unpaired.compose.length === 0 && r.unpaired.kubernetes.length === 0);
  });
}

test('corpus sidecar-gateway rendered by the real kubectl kustomize: the same findings', async () => {
  if (!kubectlAvailable) return;
  const r = await check(materialize('corpus/sidecar-gateway'), { namespace: undefined, kubectl: true });
  assert.is(r.inputs.render, 'kubectl-kustomize');
  assert.equal(unaccepted(r).map(line), EXPECTED['sidecar-gateway'], summarize(unaccepted(r)));
});

test('corpus reports fit 80 columns and name nothing of this project', () => {
  for (const name of Object.keys(EXPECTED)) {
    const dir = materialize(`corpus/${name}`);
    const cli = devenv(['migrate-check', '--compose', 'compose/docker-compose.yml', '--manifests', 'manifests'], dir);
    assert.is(cli.code, 4, cli.stderr);
    for (const l of cli.stdout.split('\n')) assert.ok(l.length <= 80, `${name}: longer than 80 columns: ${l}`);
    assert.not.match(cli.stdout, /blockchain|miner|webserver|30080|32101|kind-config/);
  }
});

test.run();
