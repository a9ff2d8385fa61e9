// Not this project: a web shop and Postgres (test/fixtures/migrate-check/shop)
// migrated by hand to plain manifests. migrate-check runs on it with no
// devenv.yaml and no mapping file, pairs `db` with StatefulSet `postgres` by
// image and port, and reports exactly the true differences.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Report } from '../../cli/topology/migrate-check.ts';
import { devenv, FIXTURES, lineOf, tempDir } from './helpers.ts';

function run(): { dir: string; code: number | null; report: Report } {
  const dir = tempDir('mc-shop-');
  cpSync(join(FIXTURES, 'shop'), dir, { recursive: true });
  const r = devenv(['migrate-check', '--compose', 'docker-compose.yml', '--manifests', 'k8s', '--json'], dir);
  assert.ok(r.stdout.startsWith('{'), r.stderr);
  return { dir, code: r.code, report: JSON.parse(r.stdout) };
}

test('pairs by convention and by image, without configuration', () => {
  const { report } = run();
  assert.equal(report.pairings.map((p) => [p.compose, `${p.kubernetes.kind}/${p.kubernetes.name}`, p.via]), [
    ['web', 'Deployment/web', 'convention'],
    ['db', 'StatefulSet/postgres', 'image'],
  ]);
  assert.is(report.inputs.render, 'files');
});

test('reports exactly the true differences', () => {
  const { dir, code, report } = run();
  assert.is(code, 4);
  const got = report.findings.map((f) => `${f.severity} ${f.rule} ${f.service} ${f.subject}`).sort();
  assert.equal(got, [
    // The manifest moved the web image to 1.4.3.
    'warn image web image.tag',
    // pg_isready became a liveness probe: dependents no longer wait for Postgres.
    'warn healthchecks postgres readiness',
    // Host port 8000 is only reachable in-cluster as web:80.
    'info ports web host port 8000',
    // Only the manifest limits memory.
    'info resources web resources',
    // Neither side sets a grace period: Compose defaults to 10 s, Kubernetes to 30 s.
    'info restart web stop grace period',
    'info restart postgres stop grace period',
  ].sort());
  const image = report.findings.find((f) => f.rule === 'image')!;
  assert.equal(image.compose!.location, { file: 'docker-compose.yml', line: lineOf(dir, 'docker-compose.yml', 'shop-web:1.4.2') });
  assert.equal(image.kubernetes!.location, { file: 'k8s/web.yaml', line: lineOf(dir, 'k8s/web.yaml', 'shop-web:1.4.3') });
  const health = report.findings.find((f) => f.rule === 'healthchecks')!;
  assert.equal(health.compose!.location, { file: 'docker-compose.yml', line: lineOf(dir, 'docker-compose.yml', 'pg_isready') });
  assert.equal(health.kubernetes!.location, { file: 'k8s/postgres.yaml', line: lineOf(dir, 'k8s/postgres.yaml', 'command: ["pg_isready"') });
});

test('a connection string with a password compares by where it leads, and stays hidden', () => {
  const { report } = run();
  // DATABASE_URL: db:5432 in Compose, postgres:5432 (a Secret) in Kubernetes: the same database.
  assert.not.ok(report.findings.some((f) => f.subject === 'DATABASE_URL'));
  const edge = report.peers.kubernetes.find((e) => e.key === 'DATABASE_URL')!;
  assert.equal(edge.to, ['any pod of postgres, port 5432']);
  assert.not.ok(JSON.stringify(report).includes('devpass'));
});

test.run();
