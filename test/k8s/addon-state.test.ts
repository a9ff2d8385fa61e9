// metrics-server is applied again unless the cluster shows it as devenv
// renders it (the hash on its objects) and serving (an available replica, the
// APIService Available). Pure rule, then the step on a fake cluster: present
// means no image check, no apply, no Metrics API wait.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ADDON_HASH_ANNOTATION, addonNotPresent, addonProbeRefs, withAddonHash } from '../../cli/k8s/addon-state.ts';
import { k8sMetricsServerStep } from '../../cli/pipelines/steps/k8s-metrics-server.step.ts';
import { createK8sContext } from '../../cli/pipelines/k8s-context.ts';
import type { K8sObject } from '../../cli/manifests/objects.ts';
import { FakeRunner } from '../helpers/fake-runner.ts';
import { fakeDeps, fakeDocker, testApp } from './helpers.ts';

const ADDON: K8sObject[] = [
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'metrics-server', namespace: 'kube-system' } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'metrics-server', namespace: 'kube-system' }, spec: { template: { spec: { containers: [{ name: 'm', image: 'ms:1' }] } } } },
  { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io' }, spec: {} },
];

/** The cluster's copy of the addon as applied with `hash`, serving. */
function live(hash: string, over: { replicas?: number; available?: string; generation?: number } = {}) {
  return [
    { kind: 'Deployment', metadata: { name: 'metrics-server', namespace: 'kube-system', generation: over.generation ?? 1, annotations: { [ADDON_HASH_ANNOTATION]: hash } }, status: { observedGeneration: 1, availableReplicas: over.replicas ?? 1 } },
    { kind: 'APIService', metadata: { name: 'v1beta1.metrics.k8s.io', annotations: { [ADDON_HASH_ANNOTATION]: hash } }, status: { conditions: [{ type: 'Available', status: over.available ?? 'True' }] } },
  ];
}

test('the hash is on every object and changes with the rendered content (an image included)', () => {
  const a = withAddonHash(ADDON);
  assert.ok(a.objects.every((o) => (o.metadata as any).annotations[ADDON_HASH_ANNOTATION] === a.hash));
  const other = structuredClone(ADDON);
  other[1].spec.template.spec.containers[0].image = 'ms:2';
  assert.is.not(withAddonHash(other).hash, a.hash);
  assert.is(withAddonHash(structuredClone(ADDON)).hash, a.hash, 'stable');
  assert.equal(addonProbeRefs(ADDON), ['deployment.apps/metrics-server', 'apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io']);
});

test('present only when applied with this hash and serving', () => {
  const { hash } = withAddonHash(ADDON);
  assert.is(addonNotPresent(ADDON, hash, live(hash)), null);
  assert.match(addonNotPresent(ADDON, hash, [])!, /Deployment\/metrics-server is not in the cluster/);
  assert.match(addonNotPresent(ADDON, hash, live('an-older-render'))!, /differs from the rendered addon/);
  assert.match(addonNotPresent(ADDON, hash, live(hash, { replicas: 0 }))!, /no available replica/);
  assert.match(addonNotPresent(ADDON, hash, live(hash, { generation: 2 }))!, /still rolling out/);
  assert.match(addonNotPresent(ADDON, hash, live(hash, { available: 'False' }))!, /APIService\/v1beta1\.metrics\.k8s\.io is not Available/);
});

const K = ['kubectl', '--context', 'kind-devenv'];
const GET = [...K, 'get', 'deployment.apps/metrics-server', 'apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io', '-n', 'kube-system', '-o', 'json'];

async function runStep(answer: (hash: string) => { exitCode?: number; stdout?: string; stderr?: string }) {
  const t = testApp();
  const runner = new FakeRunner();
  t.app.runner = runner;
  const ctx = createK8sContext(t.app, { base: { app: t.app, docker: fakeDocker({ images: { 'ms:1': 'sha256:33' } }) }, deps: fakeDeps() });
  ctx.addon = { objects: ADDON, images: ['ms:1'] };
  const { hash } = withAddonHash(ADDON);
  runner
    .on(GET, answer(hash))
    .on(['docker', 'exec', 'devenv-control-plane', 'crictl', 'inspecti', 'ms:1'], { stdout: JSON.stringify({ status: { id: 'sha256:33' } }) })
    .on([...K, 'apply', '--server-side', '--field-manager=devenv', '--force-conflicts', '-f', '-'])
    .on([...K, 'top', 'nodes'], { stdout: 'NAME CPU\ndevenv-control-plane 100m' });
  const reports: string[] = [];
  try {
    await k8sMetricsServerStep.run(ctx, { report: (m) => reports.push(m) });
  } finally {
    t.cleanup();
  }
  return { lines: runner.lines, reports };
}

test('the step: present -> one kubectl get and nothing else; absent -> image check, apply with the hash (the Metrics API is waited for after the rollouts)', async () => {
  const present = await runStep((hash) => ({ stdout: JSON.stringify({ kind: 'List', items: live(hash) }) }));
  assert.equal(present.lines, [GET.join(' ')]);
  assert.match(present.reports.join('\n'), /^present: the Metrics API is Available/m);

  const absent = await runStep(() => ({ exitCode: 1, stderr: 'Error from server (NotFound): deployments.apps "metrics-server" not found' }));
  assert.equal(absent.lines, [GET.join(' '), `docker exec devenv-control-plane crictl inspecti ms:1`, `${K.join(' ')} apply --server-side --field-manager=devenv --force-conflicts -f -`]);
  assert.match(absent.reports[0], /^installing: Deployment\/metrics-server is not in the cluster/);

  const stale = await runStep(() => ({ stdout: JSON.stringify({ kind: 'List', items: live('older') }) }));
  assert.ok(stale.lines.some((l) => l.includes(' apply ')), 'a changed render is applied');
});

test.run();
