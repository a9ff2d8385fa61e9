// Input errors on either side: exit 2, one paragraph naming the file and the
// line with a fix, and no stack trace (spawned through the CLI).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { devenv, lineOf, materialize } from './helpers.ts';

const COMPOSE = 'compose/docker-compose.yml';
const run = (dir: string, extra: string[] = []) => devenv(['migrate-check', '--compose', COMPOSE, '--manifests', 'manifests', ...extra], dir);

function assertUsage(r: ReturnType<typeof devenv>, where: RegExp) {
  assert.is(r.code, 2, `exit code 2 expected, got ${r.code}:\n${r.stderr}${r.stdout}`);
  assert.match(r.stderr, where);
  assert.match(r.stderr, /Fix: /);
  assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
}

test('bad YAML in the Compose file', () => {
  const dir = materialize('base', [{ file: COMPOSE, find: '      NODE_CONNECT_NODES: local\n', replace: '      NODE_CONNECT_NODES: [local\n' }]);
  assertUsage(run(dir), /^error: compose\/docker-compose\.yml:1[78]: invalid YAML/m);
});

test('bad YAML in a manifest', () => {
  const dir = materialize('base', [{ file: 'manifests/redis.yaml', find: '  replicas: 1\n', replace: '  replicas: 1\n   selector: {\n' }]);
  assertUsage(run(dir), /^error: manifests\/redis\.yaml:1[3-9]: invalid YAML/m);
});

test('bad YAML on both sides: the Compose error is the one reported (the manifests render meanwhile)', () => {
  const dir = materialize('base', [
    { file: COMPOSE, find: '      NODE_CONNECT_NODES: local\n', replace: '      NODE_CONNECT_NODES: [local\n' },
    { file: 'manifests/redis.yaml', find: '  replicas: 1\n', replace: '  replicas: 1\n   selector: {\n' },
  ]);
  const r = run(dir);
  assertUsage(r, /^error: compose\/docker-compose\.yml:1[78]: invalid YAML/m);
  assert.not.match(r.stderr, /redis\.yaml/);
});

test('a resource the kustomization lists does not exist', () => {
  const dir = materialize('base', [{ file: 'manifests/kustomization.yaml', find: '  - redis.yaml', replace: '  - redis.yml' }]);
  const line = lineOf(dir, 'manifests/kustomization.yaml', 'redis.yml');
  assertUsage(run(dir), new RegExp(`^error: manifests/kustomization\\.yaml:${line}: resource redis\\.yml listed in manifests/kustomization\\.yaml does not exist`, 'm'));
});

test('a Compose file that does not exist', () => {
  const dir = materialize('base');
  const r = devenv(['migrate-check', '--compose', 'compose/nope.yml', '--manifests', 'manifests'], dir);
  assertUsage(r, /Compose file compose\/nope\.yml does not exist/);
});

test('an unclosed ${ in the Compose file', () => {
  const dir = materialize('base', [{ file: COMPOSE, find: 'LOG_LEVEL: ${LOG_LEVEL:-info}', replace: 'LOG_LEVEL: ${LOG_LEVEL:-info' }]);
  const line = lineOf(dir, COMPOSE, 'LOG_LEVEL: ${LOG_LEVEL:-info');
  assertUsage(run(dir), new RegExp(`^error: compose/docker-compose\\.yml:${line}: unclosed \\$\\{`, 'm'));
});

test('a volume the Compose file never declares', () => {
  const dir = materialize('base', [{ file: COMPOSE, find: '      - miner_2_wallets:/app/wallets', replace: '      - miner_2_keys:/app/wallets' }]);
  const line = lineOf(dir, COMPOSE, 'miner_2_keys');
  assertUsage(run(dir), new RegExp(`^error: compose/docker-compose\\.yml:${line}: service \`miner_2\` uses volume \`miner_2_keys\``, 'm'));
});

test('an acceptance without a reason', () => {
  const dir = materialize('base', [{ file: 'accept.yaml', write: 'accept:\n  - rule: replicas\n    service: miner\n' }]);
  assertUsage(run(dir, ['--accept', 'accept.yaml']), /^error: accept\.yaml:2: the acceptance of replicas for miner has no reason/m);
});

test('--json: the error as JSON with its location', () => {
  const dir = materialize('base', [{ file: 'manifests/config.yaml', find: 'kind: ConfigMap', replace: 'kind: ConfigMap\nkind: Secret' }]);
  const r = run(dir, ['--json']);
  assert.is(r.code, 2, r.stderr);
  const err = JSON.parse(r.stdout);
  assert.is(err.exitCode, 2);
  assert.equal(err.location, { file: 'manifests/config.yaml', line: 3 });
  assert.match(err.error, /invalid YAML/);
});

test.run();
