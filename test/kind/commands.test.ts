// The kind command lines devenv runs, exactly as kind's Quick Start and
// `--help` document them (see the sources in cli/adapters/kind-commands.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DEFAULT_KIND_WAIT,
  kindCommand,
  kindCreateCluster,
  kindDeleteCluster,
  kindGetClusters,
  kindGetKubeconfig,
  kindLoadDockerImage,
} from '../../cli/adapters/kind-commands.ts';
import { DevenvError, ExitCode } from '../../cli/errors.ts';

const line = (args: string[]) => ['kind', ...args].join(' ');

test('kind create cluster --name NAME --config FILE --wait 120s', () => {
  assert.equal(kindCreateCluster({ name: 'devenv', config: '/tmp/x/kind.yaml' }), ['create', 'cluster', '--name', 'devenv', '--config', '/tmp/x/kind.yaml', '--wait', '120s']);
  assert.is(line(kindCreateCluster({ name: 'devenv', config: 'manifests/kind.yaml' })), 'kind create cluster --name devenv --config manifests/kind.yaml --wait 120s');
  assert.is(DEFAULT_KIND_WAIT, '120s');
  assert.equal(kindCreateCluster({ name: 'dev-1.a', config: 'k.yaml', wait: '5m' }).slice(-2), ['--wait', '5m']);
});

test('kind create cluster --image NODE_IMAGE (kind --help: "--image string   node docker image to use for booting the cluster")', () => {
  assert.is(
    line(kindCreateCluster({ name: 'devenv', config: 'k.yaml', image: 'devenv-offline/kind-node:v1.34.4' })),
    'kind create cluster --name devenv --image devenv-offline/kind-node:v1.34.4 --config k.yaml --wait 120s',
  );
  assert.equal(kindCreateCluster({ name: 'devenv', config: 'k.yaml', image: null }), kindCreateCluster({ name: 'devenv', config: 'k.yaml' }));
  assert.throws(() => kindCreateCluster({ name: 'devenv', config: 'k.yaml', image: '--retain' }), (e: unknown) => e instanceof DevenvError && e.exitCode === ExitCode.usage);
});

test('kind get clusters', () => {
  assert.equal(kindGetClusters(), ['get', 'clusters']);
});

test('kind delete cluster --name NAME', () => {
  assert.equal(kindDeleteCluster({ name: 'devenv' }), ['delete', 'cluster', '--name', 'devenv']);
});

test('kind load docker-image IMAGE --name NAME', () => {
  assert.equal(kindLoadDockerImage({ image: 'devenv/blockchain-node:dev', name: 'devenv' }), ['load', 'docker-image', 'devenv/blockchain-node:dev', '--name', 'devenv']);
});

test('kind get kubeconfig --name NAME', () => {
  assert.equal(kindGetKubeconfig({ name: 'devenv' }), ['get', 'kubeconfig', '--name', 'devenv']);
});

test('names kind would reject, and values that would read as flags, are usage errors', () => {
  for (const bad of ['Devenv', 'dev env', '', '-x', 'a_b', 'x/y']) {
    const err = (() => {
      try {
        kindDeleteCluster({ name: bad });
        return null;
      } catch (e) {
        return e;
      }
    })();
    assert.instance(err, DevenvError, `name ${JSON.stringify(bad)}`);
    assert.is((err as DevenvError).exitCode, ExitCode.usage);
    assert.match((err as DevenvError).message, '^[a-z0-9.-]+$');
  }
  assert.throws(() => kindLoadDockerImage({ image: '--help', name: 'devenv' }), (e: unknown) => e instanceof DevenvError && /starts with "-"/.test(e.message));
  assert.throws(() => kindCreateCluster({ name: 'devenv', config: '' }), (e: unknown) => e instanceof DevenvError);
  assert.throws(() => kindCreateCluster({ name: 'devenv', config: 'k.yaml', wait: '120' }), (e: unknown) => e instanceof DevenvError && /units/.test(e.message));
});

test('kindCommand pairs the resolved binary with the args as a CommandRunner spec', () => {
  const spec = kindCommand('/cache/kind/v0.30.0/kind', kindGetClusters(), { note: 'list clusters' });
  assert.is(spec.cmd, '/cache/kind/v0.30.0/kind');
  assert.equal(spec.args, ['get', 'clusters']);
  assert.is(spec.note, 'list clusters');
  assert.match(spec.missingHint ?? '', 'devenv-kind');
});

test.run();
