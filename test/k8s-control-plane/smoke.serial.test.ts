// The control plane built from source (scripts/k8s-test-control-plane.sh) is a
// real Kubernetes: kubectl talks to it, server-side apply works, the
// StatefulSet controller creates pods and PVCs from volumeClaimTemplates, and
// with the scheduler + kwok those pods run (fake) so OrderedReady goes on.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { skipIf } from '../helpers/skip.ts';
import { controlPlaneBinaries, startControlPlane, type ControlPlane } from '../helpers/control-plane.ts';
import { waitUntil } from './wait.ts';

const bin = controlPlaneBinaries();
const test = skipIf(bin ? false : 'no control plane binaries (bash scripts/k8s-test-control-plane.sh build)', suite('control plane smoke'));
// startControlPlane() runs every component that is built, so which tests can
// run is known now: the others are registered as skipped, with the reason.
const hasControllerManager = Boolean(bin && controlPlaneBinaries(['kube-controller-manager']));
const runsPods = Boolean(bin && controlPlaneBinaries(['kube-controller-manager', 'kube-scheduler', 'kwok']));
const withControllers = skipIf(bin && !hasControllerManager && 'no kube-controller-manager binary (bash scripts/k8s-test-control-plane.sh build)', test);
const withPods = skipIf(bin && !runsPods && 'needs kube-controller-manager, kube-scheduler and kwok (bash scripts/k8s-test-control-plane.sh build)', test);

const NS = 'cp-smoke';
const manifest = `
apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${NS}
spec:
  clusterIP: None
  selector: { app: web }
  ports: [{ name: http, port: 80 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  namespace: ${NS}
spec:
  serviceName: web
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: registry.invalid/web:1
          ports: [{ name: http, containerPort: 80 }]
          volumeMounts: [{ name: data, mountPath: /data }]
  volumeClaimTemplates:
    - metadata: { name: data }
      spec:
        accessModes: [ReadWriteOnce]
        resources: { requests: { storage: 1Gi } }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: ${NS}
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: StatefulSet, name: web }
  minReplicas: 2
  maxReplicas: 3
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 80 } }
`;

let cp: ControlPlane;

test.before(async () => {
  const t0 = Date.now();
  cp = await startControlPlane();
  console.log(`control plane up in ${Date.now() - t0} ms at ${cp.server} (controller-manager: ${cp.hasControllerManager}, scheduler: ${cp.hasScheduler}, kwok: ${cp.hasKwok})`);
});

test.after(async () => {
  await cp?.stop();
});

const getJson = async (args: string[]) => {
  const r = await cp.kubectl([...args, '-o', 'json']);
  assert.is(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

test('kubectl get ns lists default and kube-system', async () => {
  const r = await cp.kubectl(['get', 'ns', '-o', 'name']);
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes('namespace/default'), r.stdout);
  assert.ok(r.stdout.includes('namespace/kube-system'), r.stdout);
  const v = await cp.request('GET', '/version');
  assert.match(v.body.gitVersion, /^v1\.\d+\.\d+/);
});

test('server-side apply of a StatefulSet with volumeClaimTemplates, a headless Service and an HPA', async () => {
  const r = await cp.kubectl(['apply', '--server-side', '--field-manager=devenv-test', '-f', '-'], { input: manifest });
  assert.is(r.code, 0, r.stderr);
  for (const o of ['namespace/cp-smoke', 'service/web', 'statefulset.apps/web', 'horizontalpodautoscaler.autoscaling/web']) {
    assert.match(r.stdout, new RegExp(`${o.replace(/[./]/g, '\\$&')} serverside-applied`));
  }
  const sts = await getJson(['-n', NS, 'get', 'statefulset', 'web', '--show-managed-fields']);
  assert.ok(sts.metadata.managedFields.some((f: any) => f.manager === 'devenv-test' && f.operation === 'Apply'), JSON.stringify(sts.metadata.managedFields));
  assert.is(sts.spec.volumeClaimTemplates[0].metadata.name, 'data');
  const svc = await getJson(['-n', NS, 'get', 'service', 'web']);
  assert.is(svc.spec.clusterIP, 'None');
  // Re-applying the same objects is a no-op, not a conflict.
  const again = await cp.kubectl(['apply', '--server-side', '--field-manager=devenv-test', '-f', '-'], { input: manifest });
  assert.is(again.code, 0, again.stderr);
});

withControllers('the StatefulSet controller creates pod web-0 and PVC data-web-0', async () => {
  assert.ok(cp.hasControllerManager, 'the controller manager was expected to run');
  await waitUntil('pod web-0 and PVC data-web-0', 60_000, async () => {
    const pod = await cp.request('GET', `/api/v1/namespaces/${NS}/pods/web-0`);
    const pvc = await cp.request('GET', `/api/v1/namespaces/${NS}/persistentvolumeclaims/data-web-0`);
    return pod.status === 200 && pvc.status === 200;
  }, () => cp.logTail('kube-controller-manager', 20));
  const pod = await getJson(['-n', NS, 'get', 'pod', 'web-0']);
  assert.is(pod.metadata.ownerReferences[0].kind, 'StatefulSet');
  assert.is(pod.spec.volumes.find((v: any) => v.name === 'data').persistentVolumeClaim.claimName, 'data-web-0');
});

withPods('with the scheduler and kwok, web-0 runs and OrderedReady goes on to web-1; PVCs bind', async () => {
  assert.ok(cp.hasControllerManager && cp.hasScheduler && cp.hasKwok, 'the controller manager, scheduler and kwok were expected to run');
  await waitUntil('StatefulSet web: 2 ready replicas', 90_000, async () => {
    const s = await cp.request('GET', `/apis/apps/v1/namespaces/${NS}/statefulsets/web`);
    return s.body.status?.readyReplicas === 2;
  }, async () => (await cp.kubectl(['-n', NS, 'get', 'pods,pvc,pv', '-o', 'wide'])).stdout);
  for (const i of [0, 1]) {
    const pod = await getJson(['-n', NS, 'get', 'pod', `web-${i}`]);
    assert.is(pod.status.phase, 'Running');
    assert.ok(cp.nodes.includes(pod.spec.nodeName), pod.spec.nodeName);
    const pvc = await getJson(['-n', NS, 'get', 'pvc', `data-web-${i}`]);
    assert.is(pvc.status.phase, 'Bound');
  }
  // The headless Service's EndpointSlice lists both pods (kwok gave them IPs).
  await waitUntil('EndpointSlice of web with 2 endpoints', 30_000, async () => {
    const s = await cp.request('GET', `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb`);
    return (s.body.items ?? []).reduce((n: number, e: any) => n + (e.endpoints?.length ?? 0), 0) === 2;
  });
});

test('the autoscaling/v2 HPA targeting the StatefulSet is accepted', async () => {
  const hpa = await getJson(['-n', NS, 'get', 'hpa', 'web']);
  assert.is(hpa.apiVersion, 'autoscaling/v2');
  assert.is(hpa.spec.scaleTargetRef.kind, 'StatefulSet');
});

withControllers('the HPA controller sees the HPA (an AbleToScale condition)', async () => {
  // No metrics API here: the controller reports that, which proves it read the target.
  await waitUntil('HPA conditions', 60_000, async () => {
    const h = await cp.request('GET', `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/web`);
    return (h.body.status?.conditions ?? []).some((c: any) => c.type === 'AbleToScale');
  });
});

test('an invalid object is rejected by the server', async () => {
  const bad = manifest.replace('replicas: 2', 'replicas: -1');
  const r = await cp.kubectl(['apply', '--server-side', '--dry-run=server', '--field-manager=devenv-test', '-f', '-'], { input: bad });
  assert.is.not(r.code, 0);
  assert.match(r.stderr, /spec\.replicas/);
});

test.run();
