// Accepted differences (matched, shown as accepted, stale ones reported) and
// the explicit mapping file (pairs that no convention would find).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DevenvError } from '../../cli/errors.ts';
import { check, lineOf, materialize } from './helpers.ts';

const REPLICAS: { file: string; find: string; replace: string } = { file: 'manifests/miner.yaml', find: 'replicas: 2', replace: 'replicas: 3' };

test('an accepted finding does not fail the run and keeps its reason', async () => {
  const dir = materialize('base', [REPLICAS, { file: 'accept.yaml', write: 'accept:\n  - rule: replicas\n    service: miner_2\n    subject: repl*\n    reason: three miners make forks visible in the demo\n' }]);
  const r = await check(dir, { accept: 'accept.yaml' });
  const f = r.findings.find((x) => x.rule === 'replicas')!;
  assert.equal(f.accepted, { reason: 'three miners make forks visible in the demo', location: { file: 'accept.yaml', line: 2 } });
  assert.is(r.summary.exitCode, 0);
  assert.is(r.summary.accepted, 1);
});

test('an acceptance that matches nothing is a warn at its line', async () => {
  const dir = materialize('base', [{ file: 'accept.yaml', write: '# nothing to accept any more\naccept:\n  - rule: volumes\n    service: miner\n    reason: was a shared volume once\n' }]);
  const r = await check(dir, { accept: 'accept.yaml' });
  const stale = r.findings.find((x) => x.rule === 'acceptance')!;
  assert.is(stale.severity, 'warn');
  assert.equal(stale.location, { file: 'accept.yaml', line: 3 });
  assert.is(r.summary.exitCode, 4);
});

test('the default accept file is read from the root when present', async () => {
  const dir = materialize('base', [REPLICAS, { file: 'migrate-check.accept.yaml', write: 'accept:\n  - rule: replicas\n    service: miner\n    reason: three miners make forks visible in the demo\n' }]);
  const r = await check(dir, { accept: undefined, root: dir });
  assert.is(r.inputs.accept, 'migrate-check.accept.yaml');
  assert.is(r.summary.exitCode, 0);
});

test('an unknown rule in the accept file is a usage error at its line', async () => {
  const dir = materialize('base', [{ file: 'accept.yaml', write: 'accept:\n  - rule: replica\n    service: miner\n    reason: typo\n' }]);
  try {
    await check(dir, { accept: 'accept.yaml' });
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, DevenvError);
    assert.equal((e as DevenvError).location, { file: 'accept.yaml', line: 2 });
  }
});

test('a mapping file pairs explicitly, ahead of conventions and images', async () => {
  const dir = materialize('base', [
    { file: 'compose/docker-compose.yml', find: '  redis:\n    image: redis', replace: '  cache:\n    image: redis' },
    { file: 'compose/docker-compose.yml', find: '      redis:\n        condition', replace: '      cache:\n        condition' },
    { file: 'compose/Settings.toml', find: 'redis:6379', replace: 'cache:6379' },
    // Kubernetes calls the image's repository by its registry name: no pairing by image either.
    { file: 'manifests/redis.yaml', find: 'image: redis:7-alpine', replace: 'image: docker.io/library/redis:7-alpine' },
    { file: 'mapping.yaml', write: 'miner_1: StatefulSet/miner#0\ncache: Deployment/redis\n' },
  ]);
  const without = await check(dir);
  assert.ok(without.pairings.some((p) => p.compose === 'cache' && p.via === 'image'), 'docker.io/library/redis pairs with redis by image');
  const r = await check(dir, { mapping: 'mapping.yaml' });
  const cache = r.pairings.find((p) => p.compose === 'cache')!;
  assert.equal([cache.kubernetes.name, cache.via], ['redis', 'mapping']);
  assert.is(r.summary.exitCode, 0, JSON.stringify(r.findings.filter((f) => f.severity !== 'info')));
});

test('a mapping naming a workload that does not exist is a usage error at its line', async () => {
  const dir = materialize('base', [{ file: 'mapping.yaml', write: 'miner_1: miner#0\nredis: Deployment/cache\n' }]);
  try {
    await check(dir, { mapping: 'mapping.yaml' });
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, DevenvError);
    assert.equal((e as DevenvError).location, { file: 'mapping.yaml', line: lineOf(dir, 'mapping.yaml', 'redis:') });
  }
});

test.run();
