// Config edits apply on Kubernetes: the files the generators read are parsed
// before anything is applied (exit 2 at file:line), and the pod template of
// every workload carries the hash of the ConfigMaps and Secrets it uses, so
// changed config rolls exactly those pods and unchanged config changes no
// template. Pure helpers, then `up --k8s` against a fake runner.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { DevenvError, ExitCode } from '../../cli/errors.ts';
import { annotateConfigHashes, CONFIG_HASH_ANNOTATION, configReferences } from '../../cli/k8s/config-rollout.ts';
import type { K8sObject } from '../../cli/manifests/objects.ts';
import { runK8sUp } from '../../cli/commands/up.k8s.ts';
import { FakeRunner, isMutating } from '../helpers/fake-runner.ts';
import { appliedObjects, fakeDeps, fakeDocker, fakeHeights, RECORDED_APPLY, RECORDED_GET, testApp, type TestApp } from './helpers.ts';

// ---- pure ----

const cm = (name: string, data: Record<string, string>): K8sObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data });
const secret = (name: string, data: Record<string, string>): K8sObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'ns' }, data });
const sts = (name: string, spec: any): K8sObject => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'ns' }, spec: { template: { metadata: { labels: { app: name } }, spec } } });
const hashOf = (objects: K8sObject[], name: string) => objects.find((o) => o.metadata?.name === name)?.spec?.template?.metadata?.annotations?.[CONFIG_HASH_ANNOTATION];

const web = sts('web', { volumes: [{ name: 's', configMap: { name: 'settings' } }], containers: [{ name: 'c', env: [{ name: 'K', valueFrom: { secretKeyRef: { name: 'keys', key: 'k' } } }] }] });
const miner = sts('miner', { containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'env' } }] }] });
const redis = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'redis', namespace: 'ns' }, spec: { template: { spec: { containers: [{ name: 'r' }] } } } };

test('references: volumes (projected too), env valueFrom, envFrom, init containers', () => {
  const spec = {
    volumes: [{ configMap: { name: 'a' } }, { secret: { secretName: 'b' } }, { projected: { sources: [{ configMap: { name: 'c' } }, { secret: { name: 'd' } }] } }],
    initContainers: [{ envFrom: [{ secretRef: { name: 'e' } }] }],
    containers: [{ env: [{ valueFrom: { configMapKeyRef: { name: 'a' } } }] }],
  };
  assert.equal(configReferences(spec), [
    { kind: 'ConfigMap', name: 'a' }, { kind: 'Secret', name: 'b' }, { kind: 'ConfigMap', name: 'c' }, { kind: 'Secret', name: 'd' }, { kind: 'Secret', name: 'e' },
  ]);
});

test('annotation: on the workloads that use the config, from its content; a change moves only the users of the changed object', () => {
  const objects = [cm('settings', { 'Settings.toml': 'a = 1' }), secret('keys', { k: 'eA==' }), cm('env', { X: '1' }), web, miner, redis];
  const before = annotateConfigHashes(objects);
  assert.ok(hashOf(before, 'web'), 'web uses settings and keys');
  assert.ok(hashOf(before, 'miner'), 'miner uses env');
  assert.is(hashOf(before, 'redis'), undefined, 'redis uses no config: untouched');
  assert.is(before[5], redis, 'an object without config references is returned as it is');
  assert.is(web.spec.template.metadata.annotations, undefined, 'the input is not modified');
  assert.equal(before[3].spec.template.metadata.labels, { app: 'web' }, 'the rest of the template is kept');

  const same = annotateConfigHashes(structuredClone(objects));
  assert.is(hashOf(same, 'web'), hashOf(before, 'web'), 'same config, same annotation: no rollout');

  const edited = annotateConfigHashes([cm('settings', { 'Settings.toml': 'a = 2' }), ...objects.slice(1)]);
  assert.is.not(hashOf(edited, 'web'), hashOf(before, 'web'), 'the ConfigMap web mounts changed');
  assert.is(hashOf(edited, 'miner'), hashOf(before, 'miner'), 'miner does not use it');

  const rotated = annotateConfigHashes([objects[0], secret('keys', { k: 'eQ==' }), ...objects.slice(2)]);
  assert.is.not(hashOf(rotated, 'web'), hashOf(before, 'web'), 'a Secret change rolls its users too');
});

test('annotation: a reference to an object devenv does not apply (or in another namespace) adds nothing', () => {
  const other = { ...cm('settings', { a: '1' }), metadata: { name: 'settings', namespace: 'elsewhere' } };
  assert.is(hashOf(annotateConfigHashes([other, web]), 'web'), undefined);
});

// ---- up --k8s against a fake runner ----

const TAG = 'blockchain-node:0123456789ab';
const NODE_ID = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';
const MS = 'registry.k8s.io/metrics-server/metrics-server:v0.8.0';
const KIND = '/usr/local/bin/kind';
const K = ['kubectl', '--context', 'kind-devenv'];
const fakeBuild = { name: 'Build the node image', run: (ctx: any) => { ctx.image = { ref: TAG, id: NODE_ID, built: false, hash: '0123456789ab', external: false }; } };

/** A warm cluster; kustomize is "missing", so the built-in renderer reads the test's own copy of manifests/. */
function warmRunner(): FakeRunner {
  return new FakeRunner()
    .on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{"clientVersion":{"gitVersion":"v1.32.4"}}' })
    .on([KIND, 'get', 'clusters'], { stdout: 'devenv\n' })
    .on((argv) => argv[0] === 'kubectl' && argv[1] === 'kustomize', { missing: true })
    .on((argv) => argv[0] === 'docker' && argv[3] === 'crictl', { stdout: JSON.stringify({ status: { id: NODE_ID } }) })
    .on((argv) => argv[0] === KIND && argv[1] === 'load')
    .on([...K, 'top', 'nodes'], { stdout: 'NAME CPU(cores)\ndevenv-control-plane 180m' })
    .on((argv) => argv.slice(0, 5).join(' ') === 'kubectl --context kind-devenv get deployment.apps/metrics-server', { exitCode: 1, stderr: 'Error from server (NotFound): deployments.apps "metrics-server" not found' })
    .on([...K, 'apply', '--server-side', '--field-manager=devenv', '--force-conflicts', '-f', '-'])
    .on([...K, ...RECORDED_APPLY])
    // The second up finds none of what the first applied (this fake keeps nothing): the full path.
    .on([...K, ...RECORDED_GET], { stdout: '' })
    .on((argv) => argv.slice(0, 5).join(' ') === 'kubectl --context kind-devenv rollout status', { stdout: 'rolled out' });
}

/** One `up --k8s`; the pod template annotations of the workloads it applied, by name. */
async function up(t: TestApp): Promise<{ hashes: Record<string, string | undefined>; nodesPhase: string; fake: FakeRunner }> {
  const fake = warmRunner();
  t.app.runner = fake;
  const docker = fakeDocker({ images: { [TAG]: NODE_ID, 'redis:7-alpine': 'sha256:22', [MS]: 'sha256:33' } });
  await runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker }, deps: fakeDeps({ fetch: fakeHeights([4]) }) });
  const applies = fake.calls.filter((c) => c.args.includes('apply') && !c.note?.startsWith('metrics-server'));
  const hashes: Record<string, string | undefined> = {};
  for (const c of applies) {
    for (const o of appliedObjects(c.input) as K8sObject[]) {
      if (o?.spec?.template) hashes[`${o.kind}/${o.metadata?.name}`] = o.spec.template.metadata?.annotations?.[CONFIG_HASH_ANNOTATION];
    }
  }
  return { hashes, nodesPhase: applies.find((c) => c.note?.includes('StatefulSet/webserver'))?.input ?? '', fake };
}

test('up --k8s: an edited Settings.toml rolls the webserver only; an unchanged one applies identical templates', async () => {
  const t = testApp();
  try {
    const first = await up(t);
    assert.ok(first.hashes['StatefulSet/webserver'], 'the webserver mounts rate-limit-settings');
    assert.ok(first.hashes['StatefulSet/miner'], 'the miner reads blockchain-config and blockchain-secrets');
    assert.is(first.hashes['Deployment/redis'], undefined, 'redis uses no ConfigMap or Secret');

    const again = await up(t);
    assert.is(again.nodesPhase, first.nodesPhase, 'nothing changed: the same objects, so no rollout');

    const settings = `${t.root}/manifests/config/Settings.toml`;
    writeFileSync(settings, `${readFileSync(settings, 'utf8')}\n# edited: a new comment is a new file\n`);
    const edited = await up(t);
    assert.is.not(edited.hashes['StatefulSet/webserver'], first.hashes['StatefulSet/webserver'], 'the webserver template changed: it rolls');
    assert.is(edited.hashes['StatefulSet/miner'], first.hashes['StatefulSet/miner'], 'the miner does not mount Settings.toml: it stays');
  } finally {
    t.cleanup();
  }
});

test('up --k8s: a broken Settings.toml stops before anything is applied, exit 2 at its line', async () => {
  const t = testApp();
  try {
    const settings = `${t.root}/manifests/config/Settings.toml`;
    const lines = readFileSync(settings, 'utf8').split('\n');
    const at = lines.findIndex((l) => /^\s*[A-Za-z_]+\s*=/.test(l));
    lines[at] = lines[at].replace('=', '= =');
    writeFileSync(settings, lines.join('\n'));
    const fake = warmRunner();
    t.app.runner = fake;
    const err = await runK8sUp(t.app, { buildSteps: [fakeBuild], base: { app: t.app, docker: fakeDocker() }, deps: fakeDeps() }).catch((e: unknown) => e);
    assert.instance(err, DevenvError);
    assert.is((err as DevenvError).exitCode, ExitCode.usage);
    assert.is((err as DevenvError).location?.file, 'manifests/config/Settings.toml');
    assert.is((err as DevenvError).location?.line, at + 1);
    assert.not.ok(fake.lines.some((l) => isMutating(l.split(' '))), fake.lines.join('\n'));
  } finally {
    t.cleanup();
  }
});

test.run();
