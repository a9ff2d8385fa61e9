// What a devenv-built kind node image asks of the cluster config, and the
// docker shim kind runs through on hosts that cannot start privileged
// containers: the shim is run for real (bash) against a recording stand-in
// for docker, so the command lines it produces are the ones asserted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { classifyPrivilegedStart, ensureKindDockerShim, kindShimEnv, PRIVILEGED_REPLACEMENT } from '../../cli/adapters/kind-docker-shim.ts';
import { describeKindNodeImage, kindNodeImage, kubeadmPatchesFor, NODE_IMAGE_LABELS } from '../../cli/k8s/kind-node-image.ts';
import { kindClusterConfig, kindConfigYaml } from '../../cli/k8s/kind-config.ts';
import { defaultConfig } from '../../cli/config.ts';

const offlineLabels = {
  [NODE_IMAGE_LABELS.imageRepository]: 'devenv-offline',
  [NODE_IMAGE_LABELS.etcdImageTag]: '3.6.4-0',
  [NODE_IMAGE_LABELS.metricsServerImage]: 'devenv-offline/metrics-server:v0.8.0',
};

test('an offline node image: kubeadm takes its images from the local repository and etcd tag it preloads', () => {
  const node = kindNodeImage('devenv-offline/kind-node:v1.34.4', offlineLabels);
  assert.equal(node, { ref: 'devenv-offline/kind-node:v1.34.4', local: true, imageRepository: 'devenv-offline', etcdImageTag: '3.6.4-0', metricsServerImage: 'devenv-offline/metrics-server:v0.8.0' });
  const [patch] = kubeadmPatchesFor(node);
  assert.equal(parse(patch), { kind: 'ClusterConfiguration', apiServer: { extraArgs: { 'enable-aggregator-routing': 'true' } }, imageRepository: 'devenv-offline', etcd: { local: { imageTag: '3.6.4-0' } } });
  const cfg = kindClusterConfig(defaultConfig('/repo'), {}, node);
  const written = parse(kindConfigYaml(cfg));
  assert.equal(written.kubeadmConfigPatches, [patch]);
  assert.match(describeKindNodeImage(node), /devenv-offline\/kind-node:v1\.34\.4 \(local, built offline: kubeadm images from devenv-offline\/\)/);
});

test('a stock node image (no labels), a missing one, and kind\'s default: only the aggregator routing, no image repository', () => {
  for (const node of [kindNodeImage('kindest/node:v1.34.0', {}), kindNodeImage('kindest/node:v1.34.0', null), kindNodeImage(null, null), undefined]) {
    const patches = kubeadmPatchesFor(node);
    assert.equal(patches.map((p) => parse(p)), [{ kind: 'ClusterConfiguration', apiServer: { extraArgs: { 'enable-aggregator-routing': 'true' } } }]);
    assert.equal(kindClusterConfig(defaultConfig('/repo'), {}, node).kubeadmConfigPatches, patches);
  }
  assert.match(describeKindNodeImage(kindNodeImage('kindest/node:v1.34.0', null)), /not in the local Docker: kind will try to pull it/);
  assert.match(describeKindNodeImage(kindNodeImage(null, null)), /kind's default node image/);
});

test('the privileged probe: runc\'s "unable to apply caps" is the blocker; success is ok; anything else is unknown', () => {
  const blocked = 'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: unable to apply caps: operation not permitted: unknown';
  assert.equal(classifyPrivilegedStart('img:1', blocked), { verdict: 'blocked', image: 'img:1', detail: blocked });
  assert.equal(classifyPrivilegedStart('img:1', null), { verdict: 'ok', image: 'img:1' });
  assert.is(classifyPrivilegedStart('img:1', 'no such image').verdict, 'unknown');
});

test('the shim: --privileged on run/create becomes every capability but SYS_RESOURCE; dropped on exec; all else untouched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-shim-'));
  try {
    const realDir = join(dir, 'real');
    const log = join(dir, 'argv.log');
    ensureKindDockerShim(join(dir, 'cache')); // idempotent: a second call reuses the file
    const shimDir = ensureKindDockerShim(join(dir, 'cache'));
    // A stand-in for docker that records its argv, one argument a line, then a separator.
    await execa('mkdir', ['-p', realDir]);
    writeFileSync(join(realDir, 'docker'), `#!/usr/bin/env bash\nprintf '%s\\n' "$@" >> ${JSON.stringify(log)}\necho --- >> ${JSON.stringify(log)}\n`);
    chmodSync(join(realDir, 'docker'), 0o755);
    const env = { ...kindShimEnv(shimDir, { PATH: `${realDir}:/usr/bin:/bin` }) };
    assert.ok(env.PATH.startsWith(`${shimDir}:`));
    const run = (args: string[]) => execa('docker', args, { env, extendEnv: false });
    await run(['run', '--name', 'devenv-control-plane', '--privileged', '--hostname', 'x', 'kindest/node:v1', 'a b']);
    await run(['exec', '--privileged', '-i', 'devenv-control-plane', 'ctr', 'images', 'import', '-']);
    await run(['--log-level', 'error', 'create', '--privileged=true', 'img']);
    await run(['inspect', '--privileged']);
    const calls = readFileSync(log, 'utf8').split('---\n').filter(Boolean).map((c) => c.trimEnd().split('\n'));
    assert.equal(calls[0], ['run', '--name', 'devenv-control-plane', ...PRIVILEGED_REPLACEMENT, '--hostname', 'x', 'kindest/node:v1', 'a b']);
    assert.equal(calls[1], ['exec', '-i', 'devenv-control-plane', 'ctr', 'images', 'import', '-']);
    assert.equal(calls[2], ['--log-level', 'error', 'create', ...PRIVILEGED_REPLACEMENT, 'img']);
    assert.equal(calls[3], ['inspect', '--privileged'], 'only run/create/exec are rewritten');
    assert.ok(PRIVILEGED_REPLACEMENT.includes('--cap-drop=SYS_RESOURCE') && PRIVILEGED_REPLACEMENT.includes('--cap-add=ALL'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
