// When `compose up` has nothing to do (Compose v2's recreate rule): every
// service has one running container labelled with its current config hash and
// image ID, and the project has no other container. Any difference names why.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CONFIG_HASH_LABEL, IMAGE_ID_LABEL, composeUpNeeded, parseServiceHashes } from '../../cli/compose/compose-unchanged.ts';
import type { ContainerSummary } from '../../cli/adapters/docker.ts';

const H = (c: string) => c.repeat(64);

function container(service: string, over: Partial<ContainerSummary> = {}, labels: Record<string, string> = {}): ContainerSummary {
  return {
    id: `id-${service}`,
    name: `p-${service}-1`,
    image: service === 'redis' ? 'redis:7' : 'node:abc',
    imageId: 'x',
    state: 'running',
    health: 'healthy',
    service,
    project: 'p',
    ports: [],
    labels: { [CONFIG_HASH_LABEL]: service === 'redis' ? H('a') : H('b'), [IMAGE_ID_LABEL]: service === 'redis' ? 'sha256:r' : 'sha256:n', 'com.docker.compose.oneoff': 'False', ...labels },
    ...over,
  };
}

const hashes = new Map([
  ['redis', H('a')],
  ['miner', H('b')],
]);
const images = new Map<string, string | null>([
  ['redis:7', 'sha256:r'],
  ['node:abc', 'sha256:n'],
]);

test('parses `config --hash` output and ignores anything else', () => {
  const out = parseServiceHashes(`miner_1 ${H('1')}\nwebserver_1 ${H('2')}\nWARN[0000] something\n\n`);
  assert.equal([...out], [['miner_1', H('1')], ['webserver_1', H('2')]]);
});

test('nothing to do when every container matches', () => {
  assert.is(composeUpNeeded(hashes, [container('redis'), container('miner')], images), null);
  // A one-off `compose run` container is not an orphan.
  assert.is(composeUpNeeded(hashes, [container('redis'), container('miner'), container('miner', { id: 'run1' }, { 'com.docker.compose.oneoff': 'True' })], images), null);
});

test('each reason Compose would act on is found', () => {
  const cases: Array<[string, ContainerSummary[], Map<string, string | null>, RegExp]> = [
    ['a changed file', [container('redis'), container('miner', {}, { [CONFIG_HASH_LABEL]: H('c') })], images, /miner's configuration changed/],
    ['an image tag moved to another ID', [container('redis'), container('miner')], new Map([...images, ['redis:7', 'sha256:new']]), /redis's image redis:7 changed/],
    ['an image gone', [container('redis'), container('miner')], new Map([...images, ['node:abc', null]]), /miner's image/],
    ['a stopped container', [container('redis', { state: 'exited' }), container('miner')], images, /redis is exited/],
    ['a missing container', [container('redis')], images, /miner has 0 containers/],
    ['two containers', [container('redis'), container('miner'), container('miner', { id: 'x2' })], images, /miner has 2 containers/],
    ['an orphan', [container('redis'), container('miner'), container('old')], images, /old is no longer in the Compose file/],
  ];
  for (const [what, containers, ids, why] of cases) {
    const reason = composeUpNeeded(hashes, containers, ids);
    assert.ok(reason, `${what}: up must run`);
    assert.match(reason!, why, what);
  }
  assert.match(composeUpNeeded(new Map(), [], images)!, /no service hash/);
});

test.run();
