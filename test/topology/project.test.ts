// This project's pair: compose/ against manifests/ must show no drift (only
// info and accepted findings) and pair every Compose service. Run through the
// CLI, as a user would; and, with kubectl, on a copy where the generated
// secrets.env exists, so the kustomization is rendered by kubectl.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Report } from '../../cli/topology/migrate-check.ts';
import { skipIf } from '../helpers/skip.ts';
import { devenv, kubectlAvailable, ROOT, tempDir } from './helpers.ts';

function assertNoDrift(r: { code: number | null; stdout: string; stderr: string }): Report {
  assert.is(r.code, 0, `migrate-check exited ${r.code}:\n${r.stderr}\n${r.stdout.slice(0, 4000)}`);
  const report = JSON.parse(r.stdout) as Report;
  const failing = report.findings.filter((f) => (f.severity === 'error' || f.severity === 'warn') && !f.accepted);
  assert.equal(failing.map((f) => f.id), [], 'only info and accepted findings');
  assert.not.ok(report.findings.some((f) => f.rule === 'acceptance'), 'every acceptance still matches a finding');
  const pairs = report.pairings.map((p) => `${p.compose}=${p.kubernetes.kind}/${p.kubernetes.name}#${p.kubernetes.ordinal ?? '-'}`);
  assert.equal(pairs, ['miner_1=StatefulSet/miner#0', 'miner_2=StatefulSet/miner#1', 'webserver_1=StatefulSet/webserver#0', 'redis=Deployment/redis#-']);
  assert.equal(report.unpaired, { compose: [], kubernetes: [] });
  for (const f of report.findings.filter((x) => x.accepted)) assert.ok(f.accepted!.reason.length > 20, `${f.id} is accepted with a reason`);
  return report;
}

test('manifests/ exists (written by the Kubernetes migration)', () => {
  assert.ok(existsSync(join(ROOT, 'manifests/kustomization.yaml')), 'manifests/kustomization.yaml is missing: the project pair cannot be checked');
});

test('compose/ vs manifests/: no drift, every service paired', () => {
  const report = assertNoDrift(devenv(['migrate-check', '--json']));
  assert.is(report.schemaVersion, 1);
  assert.equal(report.inputs.compose, ['compose/docker-compose.yml']);
  assert.equal(report.inputs.accept, 'migrate-check.accept.yaml');
  // The chain topology the node derives: miner-1 dials miner-0 through the headless Service.
  const miner1 = report.peers.kubernetes.find((e) => e.from === 'miner-1' && e.key === 'NODE_CONNECT_NODES');
  assert.ok(miner1?.derivation, 'miner-1 peers through the derived chain topology');
  assert.equal(miner1!.to, ['miner ordinal 0, port 2001']);
});

test('the table and markdown reports say the same', () => {
  const table = devenv(['migrate-check']);
  assert.is(table.code, 0, table.stderr);
  assert.match(table.stdout, /No drift: 0 error, \d+ warn, \d+ info \(\d+ accepted\)/);
  assert.match(table.stdout, /webserver_1\s+StatefulSet\/webserver #0\s+convention/);
  const md = devenv(['migrate-check', '--format', 'markdown']);
  assert.is(md.code, 0, md.stderr);
  assert.match(md.stdout, /^## migrate-check: Compose vs Kubernetes/);
  assert.match(md.stdout, /\| `webserver_1` \| `StatefulSet\/webserver#0` \| convention \|/);
});

const withKubectl = skipIf(kubectlAvailable ? false : 'kubectl is not on PATH: the render by kubectl kustomize is not checked');

withKubectl('rendered by kubectl kustomize (generated secrets.env present): still no drift', () => {
  const dir = tempDir('mc-project-');
  for (const p of ['compose', 'manifests', 'migrate-check.accept.yaml']) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  writeFileSync(join(dir, 'manifests/secrets.env'), readFileSync(join(ROOT, 'manifests/secrets.env.example'), 'utf8'));
  writeFileSync(join(dir, 'compose/.env'), readFileSync(join(ROOT, 'compose/.env.example'), 'utf8'));
  const report = assertNoDrift(devenv(['migrate-check', '--json'], dir));
  assert.is(report.inputs.render, 'kubectl-kustomize');
  assert.is(report.inputs.envFile, 'compose/.env');
  const text = JSON.stringify(report);
  assert.not.ok(text.includes('change-me-admin'), 'secret values are not printed');
});

test.run();
