// devenv's own Kubernetes code on a real API server (kube-apiserver,
// controller manager, scheduler built from source; kwok stands in for the
// kubelets, so pods turn Running/Ready without containers): `up --k8s`
// pointed at it through DEVENV_KUBECONFIG renders, applies in phases with
// server-side apply, waits for every rollout; a second `up` is a no-op;
// `status --k8s` reads it back; `down --k8s` deletes the workloads, Services
// and config but keeps the namespace and its PVCs; a third `up` re-creates the
// StatefulSets on the same PVCs (same UIDs); `down --k8s --volumes` deletes
// the namespace with its PVCs. This is not kind: no image is pulled or run
// (see docs/kubernetes.md).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { controlPlaneBinaries, startControlPlane, type ControlPlane } from '../helpers/control-plane.ts';
import { skipIf } from '../helpers/skip.ts';
import { k8sStatus } from '../../cli/commands/status.k8s.ts';
import { k8sDown } from '../../cli/commands/down.k8s.ts';
import { runK8sUp } from '../../cli/commands/up.k8s.ts';
import { jsonEvents, testApp } from './helpers.ts';

const test = skipIf(controlPlaneBinaries(['kube-controller-manager', 'kube-scheduler', 'kwok']) ? false : 'no control plane binaries (bash scripts/k8s-test-control-plane.sh build)', suite('devenv --k8s on a real API server'));
let cp: ControlPlane;

test.before(async () => {
  cp = await startControlPlane();
});
test.after(async () => {
  await cp?.stop();
});

const app = () => testApp({ env: { DEVENV_KUBECONFIG: cp.kubeconfig } });

test('up --k8s: phased server-side apply, owned by the devenv field manager, every rollout waited for', async () => {
  const t = app();
  try {
    const res = await runK8sUp(t.app, { timeoutSeconds: 120 });
    const events = jsonEvents(t.stdout);
    const done = events.filter((e) => e.status === 'done').map((e) => e.step);
    for (const s of ['Apply the manifests (one server-side apply, in dependency order)', 'Wait for the rollouts']) assert.ok(done.includes(s), `${s} did not finish: ${JSON.stringify(events.filter((e) => e.status === 'failed'))}`);
    assert.ok(events.some((e) => e.step === 'Wait for the rollouts' && e.message === 'statefulset/webserver rolled out'));
    assert.match(res!.text, /existing cluster \(kubeconfig /);
    const sts = JSON.parse((await cp.kubectl(['get', 'statefulset', 'miner', '-n', 'blockchain', '-o', 'json', '--show-managed-fields'])).stdout);
    assert.ok(sts.metadata.managedFields.some((f: any) => f.manager === 'devenv' && f.operation === 'Apply'), 'server-side apply as devenv');
    assert.is(sts.spec.template.spec.containers[0].image, 'blockchain-node:dev', 'no image was loaded into a cluster devenv does not own');
    const pods = JSON.parse((await cp.kubectl(['get', 'pods', '-n', 'blockchain', '-o', 'json'])).stdout).items.map((p: any) => p.metadata.name).sort();
    assert.equal(pods.filter((n: string) => !n.startsWith('redis-')), ['miner-0', 'miner-1', 'webserver-0', 'webserver-1']);
  } finally {
    t.cleanup();
  }
});

test('a second up --k8s changes nothing and succeeds', async () => {
  const t = app();
  try {
    // Objects without a controller-written status keep their resourceVersion
    // when nothing changed; workloads, HPAs and PDBs get status updates from
    // their controllers, so their spec generation is compared instead.
    const snapshot = async () => {
      const get = async (kinds: string) => JSON.parse((await cp.kubectl(['get', kinds, '-n', 'blockchain', '-o', 'json'])).stdout).items as any[];
      const rv = (await get('configmaps,secrets,services')).filter((o) => o.metadata.name !== 'kube-root-ca.crt').map((o) => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion}`);
      const gen = (await get('statefulsets,deployments,horizontalpodautoscalers,poddisruptionbudgets')).map((o) => `${o.kind}/${o.metadata.name}#${o.metadata.generation}`);
      const ns = JSON.parse((await cp.kubectl(['get', 'namespace', 'blockchain', '-o', 'json'])).stdout).metadata.resourceVersion;
      return { rv: rv.sort(), gen: gen.sort(), ns };
    };
    // The same checkout twice (its generated manifests/secrets.env is kept): bring it to its state, then measure a second up.
    await runK8sUp(t.app, { timeoutSeconds: 120 });
    const before = await snapshot();
    assert.is(before.rv.length, 8, `2 ConfigMaps, 1 Secret, 5 Services: ${before.rv.join(' ')}`);
    assert.is(before.gen.length, 7, `2 StatefulSets, 1 Deployment, 2 HPAs, 2 PDBs: ${before.gen.join(' ')}`);
    await runK8sUp(t.app, { timeoutSeconds: 120 });
    const after = await snapshot();
    assert.equal(after.rv, before.rv, 'resourceVersions of config and Services unchanged');
    assert.equal(after.gen, before.gen, 'same specs, same generations');
    assert.is(after.ns, before.ns, 'the Namespace is unchanged');
  } finally {
    t.cleanup();
  }
});

test('status --k8s: pods ready, one PVC pair per StatefulSet pod, both HPAs', async () => {
  const t = app();
  try {
    const s = await k8sStatus(t.app);
    assert.equal(s.pods.filter((p) => p.component !== 'redis').map((p) => [p.name, p.ready]), [['miner-0', '1/1'], ['miner-1', '1/1'], ['webserver-0', '1/1'], ['webserver-1', '1/1']]);
    assert.equal(s.pvcs.map((p) => p.name).sort(), ['miner-data-miner-0', 'miner-data-miner-1', 'miner-wallets-miner-0', 'miner-wallets-miner-1', 'webserver-data-webserver-0', 'webserver-data-webserver-1', 'webserver-wallets-webserver-0', 'webserver-wallets-webserver-1']);
    assert.equal(s.hpas.map((h) => h.target).sort(), ['StatefulSet/miner', 'StatefulSet/webserver']);
    assert.match(s.apiError ?? '', /existing cluster/);
  } finally {
    t.cleanup();
  }
});

const PVCS = ['miner-data-miner-0', 'miner-data-miner-1', 'miner-wallets-miner-0', 'miner-wallets-miner-1', 'webserver-data-webserver-0', 'webserver-data-webserver-1', 'webserver-wallets-webserver-0', 'webserver-wallets-webserver-1'];

async function getJson(args: string[]): Promise<any> {
  const r = await cp.kubectl([...args, '-o', 'json']);
  assert.is(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** PVC name -> UID in the namespace. */
async function pvcUids(): Promise<Record<string, string>> {
  const list = await getJson(['get', 'persistentvolumeclaims', '-n', 'blockchain']);
  return Object.fromEntries(list.items.map((p: any) => [p.metadata.name, p.metadata.uid]));
}

/** Every object of the kinds devenv applies that is in the namespace (`kube-root-ca.crt`, which Kubernetes puts in every namespace, aside). */
async function appliedKinds(): Promise<string[]> {
  const list = await getJson(['get', 'statefulsets,deployments,replicasets,pods,services,configmaps,secrets,horizontalpodautoscalers,poddisruptionbudgets', '-n', 'blockchain']);
  return list.items.map((o: any) => `${o.kind}/${o.metadata.name}`).filter((r: string) => r !== 'ConfigMap/kube-root-ca.crt').sort();
}

let uidsBeforeDown: Record<string, string> = {};
let stsUidsBeforeDown: string[] = [];

test('down --k8s: the StatefulSets, Deployment, Services, config and their pods are gone; the namespace and its 8 PVCs stay', async () => {
  uidsBeforeDown = await pvcUids();
  assert.equal(Object.keys(uidsBeforeDown).sort(), PVCS);
  stsUidsBeforeDown = (await getJson(['get', 'statefulsets', '-n', 'blockchain'])).items.map((o: any) => o.metadata.uid);
  assert.is(stsUidsBeforeDown.length, 2);
  assert.ok((await appliedKinds()).length > 15, 'up applied the objects (and their pods) this test expects to go');
  const t = app();
  try {
    const res = await k8sDown(t.app, { timeoutSeconds: 120 });
    assert.match(res!.text, /^Deleted 15 object\(s\) in namespace blockchain on existing cluster/);
    assert.match(res!.text, /kept the namespace and its 8 PVC\(s\): miner-data-miner-0, .*webserver-wallets-webserver-1 .*devenv down --k8s --volumes/);
    assert.equal((res!.data.kept as any).pvcs, PVCS);
    assert.equal((res!.data.deleted as any).objects.sort(), [
      'configmap/blockchain-config', 'configmap/rate-limit-settings', 'deployment.apps/redis',
      'horizontalpodautoscaler.autoscaling/miner-hpa', 'horizontalpodautoscaler.autoscaling/webserver-hpa',
      'poddisruptionbudget.policy/miner-pdb', 'poddisruptionbudget.policy/webserver-pdb', 'secret/blockchain-secrets',
      'service/miner-headless', 'service/miner-service', 'service/redis', 'service/webserver-headless', 'service/webserver-service',
      'statefulset.apps/miner', 'statefulset.apps/webserver',
    ]);
    const ns = await getJson(['get', 'namespace', 'blockchain']);
    assert.is(ns.status.phase, 'Active', 'the namespace is kept, not terminating');
    assert.equal(await pvcUids(), uidsBeforeDown, 'the same 8 PVCs, not deleted and re-created');
    assert.equal(await appliedKinds(), [], 'no workload, pod, Service, ConfigMap, Secret, HPA or PDB of devenv is left');
  } finally {
    t.cleanup();
  }
});

test('a second down --k8s finds nothing left to delete and still keeps the PVCs', async () => {
  const t = app();
  try {
    const res = await k8sDown(t.app, { timeoutSeconds: 60 });
    assert.match(res!.text, /^Nothing left to delete in namespace blockchain .*kept the namespace and its 8 PVC\(s\)/);
    assert.equal(await pvcUids(), uidsBeforeDown);
  } finally {
    t.cleanup();
  }
});

test('up --k8s after down: new StatefulSets, whose pods use the same PVCs (same UIDs)', async () => {
  const t = app();
  try {
    await runK8sUp(t.app, { timeoutSeconds: 120 });
    const sts = (await getJson(['get', 'statefulsets', '-n', 'blockchain'])).items;
    assert.equal(sts.map((o: any) => o.metadata.name).sort(), ['miner', 'webserver']);
    for (const o of sts) assert.not.ok(stsUidsBeforeDown.includes(o.metadata.uid), `statefulset/${o.metadata.name} was re-created`);
    assert.equal(await pvcUids(), uidsBeforeDown, 'no PVC was created anew: the StatefulSets re-bound the kept ones');
    const pods = (await getJson(['get', 'pods', '-n', 'blockchain', '-l', 'app in (miner,webserver)'])).items;
    const claims = pods.flatMap((p: any) => (p.spec.volumes ?? []).filter((v: any) => v.persistentVolumeClaim).map((v: any) => `${p.metadata.name}:${v.persistentVolumeClaim.claimName}`)).sort();
    assert.equal(claims, [
      'miner-0:miner-data-miner-0', 'miner-0:miner-wallets-miner-0', 'miner-1:miner-data-miner-1', 'miner-1:miner-wallets-miner-1',
      'webserver-0:webserver-data-webserver-0', 'webserver-0:webserver-wallets-webserver-0', 'webserver-1:webserver-data-webserver-1', 'webserver-1:webserver-wallets-webserver-1',
    ]);
    for (const p of pods) assert.ok(p.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'), `${p.metadata.name} is Ready`);
  } finally {
    t.cleanup();
  }
});

test('down --k8s --volumes: the namespace and its 8 PVCs are gone', async () => {
  const t = app();
  try {
    const res = await k8sDown(t.app, { volumes: true, timeoutSeconds: 120 });
    assert.match(res!.text, /Deleted namespace blockchain .*8 PVC\(s\): miner-data-miner-0/);
    assert.ok(t.stdout.join('').includes(`its PersistentVolumeClaims are deleted with it (${PVCS.join(', ')})`), 'said first, with the claims named');
    const ns = await cp.kubectl(['get', 'namespace', 'blockchain']);
    assert.is.not(ns.code, 0);
    assert.match(ns.stderr, /not found/);
    const left = await getJson(['get', 'persistentvolumeclaims', '--all-namespaces']);
    assert.equal(left.items.filter((p: any) => p.metadata.namespace === 'blockchain'), []);
  } finally {
    t.cleanup();
  }
});

test.run();
