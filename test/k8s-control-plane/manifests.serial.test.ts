// The project's real manifests/ (kustomize) on a real API server built from
// source: every rendered object passes server-side dry-run, a real server-side
// apply lets the controllers create what kind would (StatefulSet pods and
// their PVCs named from the volumeClaimTemplates, the redis Deployment's pod,
// endpoints, HPA and PDB status), with kwok standing in for the kubelets.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipIf } from '../helpers/skip.ts';
import { controlPlaneBinaries, startControlPlane, type ControlPlane } from '../helpers/control-plane.ts';
import { renderKustomize, type K8sObject } from './render.ts';
import { waitUntil } from './wait.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const manifestsDir = join(root, 'manifests');
const addonsDir = join(manifestsDir, 'addons');
const bin = controlPlaneBinaries();
const reason = !bin
  ? 'no control plane binaries (bash scripts/k8s-test-control-plane.sh build)'
  : !existsSync(join(manifestsDir, 'kustomization.yaml'))
    ? 'no manifests/kustomization.yaml'
    : false;
const test = skipIf(reason, suite('manifests/ on a real API server'));
// startControlPlane() runs every component that is built: whether the
// controllers (and pods, with the scheduler and kwok) will run is known now,
// so a test that needs them is registered as skipped, with the reason.
const hasControllerManager = Boolean(bin && controlPlaneBinaries(['kube-controller-manager']));
const runsPods = Boolean(bin && controlPlaneBinaries(['kube-controller-manager', 'kube-scheduler', 'kwok']));
const withControllers = skipIf(!reason && !hasControllerManager && 'no kube-controller-manager binary (bash scripts/k8s-test-control-plane.sh build)', test);
const withPods = skipIf(!reason && !runsPods && 'needs the controller manager, scheduler and kwok (bash scripts/k8s-test-control-plane.sh build)', test);

let cp: ControlPlane;
let objects: K8sObject[] = [];
let yaml = '';
const FM = ['--field-manager=devenv-test'];

/** `statefulset.apps/miner`, as kubectl prints applied objects. */
function kubectlName(o: K8sObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${o.kind.toLowerCase()}${group ? '.' + group : ''}/${o.metadata.name}`;
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
const nsOf = (o: K8sObject) => o.metadata.namespace ?? 'default';

test.before(async () => {
  ({ yaml, objects } = await renderKustomize(manifestsDir));
  cp = await startControlPlane();
});

test.after(async () => {
  await cp?.stop();
});

test('kubectl kustomize manifests/ renders the expected kinds', () => {
  const kinds = new Set(objects.map((o) => o.kind));
  for (const k of ['Namespace', 'StatefulSet', 'Service']) assert.ok(kinds.has(k), `no ${k} in ${[...kinds].join(', ')}`);
  assert.ok(ofKind('StatefulSet').every((s) => (s.spec.volumeClaimTemplates ?? []).length > 0), 'every StatefulSet has volumeClaimTemplates');
});

test('every object passes kubectl apply --server-side --dry-run=server', async () => {
  // A namespaced dry-run needs its namespace to exist: create the Namespaces for real first.
  const namespaces = ofKind('Namespace');
  if (namespaces.length) {
    const ns = await cp.kubectl(['apply', '--server-side', ...FM, '-f', '-'], { input: namespaces.map((o) => JSON.stringify(o)).join('\n') });
    assert.is(ns.code, 0, ns.stderr);
  }
  const r = await cp.kubectl(['apply', '--server-side', '--dry-run=server', ...FM, '-f', '-'], { input: yaml });
  assert.is(r.code, 0, `dry-run failed:\n${r.stderr}\n${r.stdout}`);
  for (const o of objects) {
    assert.match(r.stdout, new RegExp(`^${escape(kubectlName(o))} serverside-applied \\(server dry run\\)$`, 'm'), `${kubectlName(o)} not in:\n${r.stdout}`);
  }
  // Nothing but the namespaces exists yet.
  for (const s of ofKind('StatefulSet')) {
    const got = await cp.request('GET', `/apis/apps/v1/namespaces/${nsOf(s)}/statefulsets/${s.metadata.name}`);
    assert.is(got.status, 404, `${s.metadata.name} was created by a dry run`);
  }
});

test('every object of manifests/addons/* passes server-side dry-run too', async () => {
  assert.ok(existsSync(addonsDir), 'manifests/addons is missing (the project ships metrics-server there)');
  const { readdirSync } = await import('node:fs');
  const addons = readdirSync(addonsDir).filter((name) => existsSync(join(addonsDir, name, 'kustomization.yaml')));
  assert.ok(addons.length > 0, 'no addon kustomization under manifests/addons');
  for (const name of addons) {
    const dir = join(addonsDir, name);
    const addon = await renderKustomize(dir);
    const r = await cp.kubectl(['apply', '--server-side', '--dry-run=server', ...FM, '-f', '-'], { input: addon.yaml });
    assert.is(r.code, 0, `addon ${name}: dry-run failed:\n${r.stderr}`);
    for (const o of addon.objects) {
      assert.match(r.stdout, new RegExp(`^${escape(kubectlName(o))} serverside-applied \\(server dry run\\)$`, 'm'), `addon ${name}: ${kubectlName(o)} not in:\n${r.stdout}`);
    }
  }
});

test('a real server-side apply; applying again changes nothing', async () => {
  const r = await cp.kubectl(['apply', '--server-side', ...FM, '-f', '-'], { input: yaml });
  assert.is(r.code, 0, r.stderr);
  for (const o of objects) assert.match(r.stdout, new RegExp(`^${escape(kubectlName(o))} serverside-applied$`, 'm'));
  const before = await cp.kubectl(['get', '-n', 'blockchain', 'statefulsets', '-o', 'jsonpath={.items[*].metadata.generation}']);
  const again = await cp.kubectl(['apply', '--server-side', ...FM, '-f', '-'], { input: yaml });
  assert.is(again.code, 0, again.stderr);
  const after = await cp.kubectl(['get', '-n', 'blockchain', 'statefulsets', '-o', 'jsonpath={.items[*].metadata.generation}']);
  assert.is(after.stdout, before.stdout, 're-apply bumped a StatefulSet generation');
});

/** The pods and PVCs the StatefulSet controller makes; without kwok no pod becomes Ready, so OrderedReady stops at ordinal 0. */
function expectedPodsAndPvcs(runs: boolean): { ns: string; pods: string[]; pvcs: string[] }[] {
  return ofKind('StatefulSet').map((s) => {
    const replicas = runs ? (s.spec.replicas ?? 1) : 1;
    const pods: string[] = [], pvcs: string[] = [];
    for (let i = 0; i < replicas; i++) {
      pods.push(`${s.metadata.name}-${i}`);
      for (const t of s.spec.volumeClaimTemplates ?? []) pvcs.push(`${t.metadata.name}-${s.metadata.name}-${i}`);
    }
    return { ns: nsOf(s), pods, pvcs };
  });
}

withControllers('the StatefulSet controller creates the pods and the PVCs named from the volumeClaimTemplates', async () => {
  assert.ok(cp.hasControllerManager, 'the controller manager was expected to run');
  const runs = cp.hasScheduler && cp.hasKwok;
  const expected = expectedPodsAndPvcs(runs);
  assert.ok(expected.length > 0, 'manifests/ has no StatefulSet');
  console.log(`expecting pods ${expected.flatMap((e) => e.pods).join(', ')}; PVCs ${expected.flatMap((e) => e.pvcs).join(', ')}`);
  const missing = async () => {
    const out: string[] = [];
    for (const e of expected) {
      for (const p of e.pods) if ((await cp.request('GET', `/api/v1/namespaces/${e.ns}/pods/${p}`)).status !== 200) out.push(`pod ${p}`);
      for (const c of e.pvcs) if ((await cp.request('GET', `/api/v1/namespaces/${e.ns}/persistentvolumeclaims/${c}`)).status !== 200) out.push(`pvc ${c}`);
    }
    return out;
  };
  await waitUntil('StatefulSet pods and PVCs', 120_000, async () => (await missing()).length === 0,
    async () => `missing: ${(await missing()).join(', ')}\n${(await cp.kubectl(['get', '-A', 'pods,pvc', '-o', 'wide'])).stdout}`);
});

withPods('with the scheduler and kwok: every StatefulSet becomes ready and its PVCs bind', async () => {
  assert.ok(cp.hasControllerManager && cp.hasScheduler && cp.hasKwok, 'the controller manager, scheduler and kwok were expected to run');
  const expected = expectedPodsAndPvcs(true);
  for (const s of ofKind('StatefulSet')) {
    await waitUntil(`StatefulSet ${s.metadata.name} ready`, 90_000, async () => {
      const got = await cp.request('GET', `/apis/apps/v1/namespaces/${nsOf(s)}/statefulsets/${s.metadata.name}`);
      return got.body.status?.readyReplicas === (s.spec.replicas ?? 1);
    });
  }
  for (const e of expected) {
    for (const c of e.pvcs) {
      const pvc = await cp.request('GET', `/api/v1/namespaces/${e.ns}/persistentvolumeclaims/${c}`);
      assert.is(pvc.body.status?.phase, 'Bound', `pvc ${c}`);
    }
  }
});

withPods('Deployments become available (kwok runs their pods)', async () => {
  assert.ok(ofKind('Deployment').length > 0, 'manifests/ has no Deployment');
  for (const d of ofKind('Deployment')) {
    await waitUntil(`Deployment ${d.metadata.name} available`, 90_000, async () => {
      const got = await cp.request('GET', `/apis/apps/v1/namespaces/${nsOf(d)}/deployments/${d.metadata.name}`);
      return got.body.status?.availableReplicas === (d.spec.replicas ?? 1);
    });
  }
});

withPods('Services with a selector get endpoints; headless ones too', async () => {
  assert.ok(ofKind('Service').some((x) => x.spec?.selector), 'manifests/ has no Service with a selector');
  for (const s of ofKind('Service').filter((x) => x.spec?.selector)) {
    await waitUntil(`endpoints of Service ${s.metadata.name}`, 60_000, async () => {
      const got = await cp.request('GET', `/apis/discovery.k8s.io/v1/namespaces/${nsOf(s)}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${s.metadata.name}`);
      return (got.body.items ?? []).some((e: any) => (e.endpoints ?? []).length > 0);
    });
  }
});

test('the HPAs are accepted and resolve their scale target', async () => {
  const hpas = ofKind('HorizontalPodAutoscaler');
  for (const h of hpas) {
    const got = await cp.request('GET', `/apis/autoscaling/v2/namespaces/${nsOf(h)}/horizontalpodautoscalers/${h.metadata.name}`);
    assert.is(got.status, 200, `${h.metadata.name}: ${JSON.stringify(got.body)}`);
    const target = objects.find((o) => o.kind === h.spec.scaleTargetRef.kind && o.metadata.name === h.spec.scaleTargetRef.name);
    assert.ok(target, `HPA ${h.metadata.name} targets ${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}, which the manifests do not define`);
    if (target.kind === 'StatefulSet' || target.kind === 'Deployment') {
      assert.ok(h.spec.minReplicas === undefined || h.spec.minReplicas <= (target.spec.replicas ?? 1),
        `HPA ${h.metadata.name} minReplicas ${h.spec.minReplicas} > ${target.kind} replicas ${target.spec.replicas}: applying it would scale up a fresh environment`);
    }
  }
});

withControllers('the HPA controller reads each HPA\'s scale target (AbleToScale=True)', async () => {
  const hpas = ofKind('HorizontalPodAutoscaler');
  assert.ok(hpas.length > 0, 'manifests/ has no HorizontalPodAutoscaler');
  // AbleToScale=True means the HPA controller read the target's scale subresource.
  for (const h of hpas) {
    await waitUntil(`HPA ${h.metadata.name} AbleToScale`, 60_000, async () => {
      const got = await cp.request('GET', `/apis/autoscaling/v2/namespaces/${nsOf(h)}/horizontalpodautoscalers/${h.metadata.name}`);
      return (got.body.status?.conditions ?? []).some((c: any) => c.type === 'AbleToScale' && c.status === 'True');
    }, async () => (await cp.kubectl(['describe', '-n', nsOf(h), 'hpa', h.metadata.name])).stdout);
  }
});

withPods('the PodDisruptionBudgets select running pods', async () => {
  assert.ok(ofKind('PodDisruptionBudget').length > 0, 'manifests/ has no PodDisruptionBudget');
  for (const p of ofKind('PodDisruptionBudget')) {
    await waitUntil(`PDB ${p.metadata.name} sees healthy pods`, 60_000, async () => {
      const got = await cp.request('GET', `/apis/policy/v1/namespaces/${nsOf(p)}/poddisruptionbudgets/${p.metadata.name}`);
      const st = got.body.status ?? {};
      return st.observedGeneration >= 1 && st.currentHealthy > 0 && st.currentHealthy >= (st.desiredHealthy ?? 0);
    }, async () => (await cp.kubectl(['get', '-n', nsOf(p), 'pdb', p.metadata.name, '-o', 'yaml'])).stdout);
  }
});

test.run();
