// The built-in kustomize subset and the existing-cluster target: what the
// subset cannot do is said (file:line), a missing generated input is a usage
// error with the fix, a kustomization kustomize rejects is a finding, and
// DEVENV_KUBECONFIG aims every kubectl call at that kubeconfig with kind
// never run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevenvError, ExitCode } from '../../cli/errors.ts';
import { toYamlStream } from '../../cli/k8s/apply-phases.ts';
import { createK8sContext, resolveK8sTarget } from '../../cli/pipelines/k8s-context.ts';
import { parseImageRef } from '../../cli/manifests/image-ref.ts';
import { replaceImages } from '../../cli/manifests/objects.ts';
import { renderManifests } from '../../cli/manifests/render.ts';
import { validateManifests } from '../../cli/k8s/validate-manifests.ts';
import { runK8sUp } from '../../cli/commands/up.k8s.ts';
import { k8sApplyPipeline } from '../../cli/pipelines/k8s-up.pipeline.ts';
import { runPipeline } from '../../cli/pipelines/pipeline.ts';
import { FakeRunner } from '../helpers/fake-runner.ts';
import { fakeDeps, fakeDocker, RECORDED_APPLY, testApp } from './helpers.ts';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'devenv-render-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  A: "1"\n';

const renderBuiltin = (dir: string, opts: { cwd: string; exampleFallback?: boolean }) => renderManifests(new FakeRunner(), dir, { ...opts, kubectl: false });

test('built-in renderer: unsupported kustomize fields are warnings with file:line, never dropped silently', async () => {
  const d = dir({ 'kustomization.yaml': 'resources:\n  - cm.yaml\npatches:\n  - path: p.yaml\n', 'cm.yaml': CM });
  try {
    const r = await renderBuiltin(d, { cwd: d });
    assert.is(r.objects.length, 1);
    assert.equal(r.warnings, ['kustomization.yaml:3: `patches` is applied only by `kubectl kustomize`; without kubectl the objects are read as written.']);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('built-in renderer: a missing secrets.env is a usage error at the generator, with the fix', async () => {
  const d = dir({ 'kustomization.yaml': 'secretGenerator:\n  - name: s\n    envs:\n      - secrets.env\n    options:\n      disableNameSuffixHash: true\n', 'secrets.env.example': 'K=change-me\n' });
  try {
    const err = await renderBuiltin(d, { cwd: d }).then(() => undefined, (e) => e as DevenvError);
    assert.instance(err, DevenvError);
    assert.is(err!.exitCode, ExitCode.usage);
    assert.equal(err!.location, { file: 'kustomization.yaml', line: 2 });
    assert.match(err!.hint ?? '', /copy secrets\.env\.example to secrets\.env/);
    const r = await renderBuiltin(d, { cwd: d, exampleFallback: true });
    assert.equal(r.objects[0].object.data, { K: Buffer.from('change-me').toString('base64') });
    assert.equal(r.examplesUsed, ['secrets.env']);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('validate: a kustomization kustomize rejects is a render finding (exit-2 material), not a crash', async () => {
  const d = dir({ 'kustomization.yaml': 'resources:\n  - missing.yaml\n' });
  try {
    const report = await validateManifests(new FakeRunner(), { cwd: d, targets: ['.'], kubectl: false });
    assert.is(report.errors, 1);
    assert.equal([report.findings[0].rule, report.findings[0].file, report.findings[0].line], ['render', 'kustomization.yaml', 2]);
    assert.match(report.findings[0].message, /resource missing\.yaml listed in kustomization\.yaml does not exist/);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('YAML 1.1 as kubectl reads it: an unquoted yes in a ConfigMap is a boolean (a finding); applied YAML quotes it', async () => {
  const d = dir({ 'kustomization.yaml': 'resources:\n  - cm.yaml\n', 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  NODE_IS_MINER: yes\n' });
  try {
    const report = await validateManifests(new FakeRunner(), { cwd: d, targets: ['.'], kubectl: false });
    assert.equal(report.findings.map((f) => [f.rule, f.file, f.line, f.message]), [['schema', 'cm.yaml', 6, 'data.NODE_IS_MINER must be a string.']]);
    assert.match(toYamlStream([{ apiVersion: 'v1', kind: 'ConfigMap', data: { A: 'yes', B: 'no', C: 'on' } }]), /A: "yes"\n {2}B: "no"\n {2}C: "on"/);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('image references: registry ports and digests parse; replacement is by repository name', () => {
  assert.equal(parseImageRef('localhost:5000/team/node:1.2@sha256:abc'), { name: 'localhost:5000/team/node', registry: 'localhost:5000', tag: '1.2', digest: 'sha256:abc', canonical: 'localhost:5000/team/node' });
  assert.equal(parseImageRef('localhost:5000/node'), { name: 'localhost:5000/node', registry: 'localhost:5000', tag: undefined, digest: undefined, canonical: 'localhost:5000/node' });
  assert.equal(parseImageRef('registry:5000/x'), { name: 'registry:5000/x', registry: 'registry:5000', tag: undefined, digest: undefined, canonical: 'registry:5000/x' });
  assert.is(parseImageRef('redis:7').canonical, 'docker.io/library/redis');
  assert.is(parseImageRef('team/app').canonical, 'docker.io/team/app');
  const sts = { kind: 'StatefulSet', spec: { template: { spec: { initContainers: [{ name: 'i', image: 'blockchain-node:dev' }], containers: [{ name: 'c', image: 'blockchain-node:dev' }, { name: 'r', image: 'redis:7-alpine' }] } } } };
  const [out] = replaceImages([sts], { 'blockchain-node': 'blockchain-node:abc' });
  assert.equal(out.spec.template.spec.initContainers[0].image, 'blockchain-node:abc');
  assert.equal(out.spec.template.spec.containers.map((c: any) => c.image), ['blockchain-node:abc', 'redis:7-alpine']);
  assert.is(sts.spec.template.spec.containers[0].image, 'blockchain-node:dev', 'input untouched');
});

test('target: kind context by default; DEVENV_KUBECONFIG, DEVENV_KUBE_CONTEXT or DEVENV_K8S_SKIP_KIND mean an existing cluster', () => {
  const t = testApp();
  try {
    assert.equal(resolveK8sTarget(t.app), { kube: { context: 'kind-devenv' }, existingCluster: false, description: 'kind cluster devenv (context kind-devenv)' });
    t.app.env.DEVENV_KUBECONFIG = '/tmp/apiserver.kubeconfig';
    assert.equal(resolveK8sTarget(t.app).kube, { kubeconfig: '/tmp/apiserver.kubeconfig', context: undefined });
    assert.is(resolveK8sTarget(t.app).existingCluster, true);
    assert.equal(resolveK8sTarget(t.app, { kubeconfig: '/other' }).kube.kubeconfig, '/other');
    delete t.app.env.DEVENV_KUBECONFIG;
    t.app.env.DEVENV_K8S_SKIP_KIND = '1';
    assert.equal(resolveK8sTarget(t.app), { kube: { kubeconfig: undefined, context: undefined }, existingCluster: true, description: 'existing cluster (its current context)' });
  } finally {
    t.cleanup();
  }
});

test('apply pipeline on an existing cluster (DEVENV_KUBECONFIG): only kubectl --kubeconfig, never kind or docker', async () => {
  const t = testApp({ env: { DEVENV_KUBECONFIG: '/tmp/apiserver.kubeconfig' } });
  try {
    const KC = ['kubectl', '--kubeconfig', '/tmp/apiserver.kubeconfig'];
    const fake = new FakeRunner()
      .on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{}' })
      .on((argv) => argv[0] === 'kubectl' && argv[1] === 'kustomize', { missing: true })
      .on([...KC, ...RECORDED_APPLY]);
    t.app.runner = fake;
    const docker = fakeDocker();
    const ctx = createK8sContext(t.app, { base: { app: t.app, docker }, deps: fakeDeps({ resolveKind: async () => { throw new Error('kind must not be resolved'); } }) });
    await runPipeline(k8sApplyPipeline(), ctx, t.app.output);
    assert.is(fake.lines.filter((l) => l.startsWith(`${KC.join(' ')} apply`)).length, 1, 'one apply, every phase');
    assert.not.ok(fake.lines.some((l) => /kind|docker/.test(l.split(' ')[0])));
    assert.equal(docker.calls, []);
    const applied = fake.calls.filter((c) => c.args.includes('apply')).map((c) => c.input ?? '').join('\n');
    assert.match(applied, /"image": "blockchain-node:dev"/, 'no image was built or loaded: the manifests run their own tag');
  } finally {
    t.cleanup();
  }
});

test('up --k8s on an existing cluster: kind, image loading, metrics-server and the smoke check are skipped with reasons', async () => {
  const t = testApp({ env: { DEVENV_K8S_SKIP_KIND: '1' } });
  try {
    const fake = new FakeRunner()
      .on(['kubectl', 'version', '--client', '-o', 'json'], { stdout: '{}' })
      .on((argv) => argv[0] === 'kubectl' && argv[1] === 'kustomize', { missing: true })
      .on(['kubectl', ...RECORDED_APPLY])
      .on((argv) => argv.slice(0, 3).join(' ') === 'kubectl rollout status');
    t.app.runner = fake;
    const res = await runK8sUp(t.app, { buildSteps: [], base: { app: t.app, docker: fakeDocker() }, deps: fakeDeps() });
    assert.not.ok(fake.lines.some((l) => /^(kind|docker|\/usr\/local\/bin\/kind)/.test(l)));
    const skipped = t.stdout.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.status === 'skipped').map((e) => e.step);
    assert.equal(skipped, ['Create the kind cluster', 'Install metrics-server', 'Load the node image into kind', 'Preload the other images into kind', 'Wait for the Metrics API', 'Smoke check: the API answers and the chain grows']);
    assert.match(res!.text, /port-forward -n blockchain svc\/webserver-service/);
  } finally {
    t.cleanup();
  }
});

test.run();
