// The record of the last `up --k8s` apply and the check a warm `up` makes
// against it (cli/k8s/apply-record.ts): every way the cluster can differ from
// what devenv left is a reason for the full path; the HPA scaling a workload
// is not; nothing secret is looked up or recorded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyLookup, applyRecord, desiredApply, leaveReplicasToHpa, notAsApplied, parseLiveObjects, rolloutIncomplete, type LiveObject } from '../../cli/k8s/apply-record.ts';
import type { ApplyPhase } from '../../cli/k8s/apply-phases.ts';
import type { K8sObject } from '../../cli/manifests/objects.ts';

const NS = 'shop';
const secret: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'keys', namespace: NS }, data: { TOKEN: 'c2VjcmV0LXZhbHVl' } };
const web: K8sObject = {
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: NS },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'shop/web:dev' }] } } },
};
const hpa: K8sObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: NS }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' }, minReplicas: 2, maxReplicas: 4 } };
const phases: ApplyPhase[] = [
  { id: 'config', title: 'config', objects: [secret] },
  { id: 'nodes', title: 'nodes', objects: [web] },
  { id: 'scaling', title: 'scaling', objects: [hpa] },
];
const pins = { 'shop/web': 'shop/web:0123456789ab' };

function fieldsOf(o: K8sObject, withReplicas = true): any {
  if (o.kind === 'Secret') return { 'f:data': { 'f:TOKEN': {} } };
  if (o.kind === 'StatefulSet') return { 'f:spec': { ...(withReplicas ? { 'f:replicas': {} } : {}), 'f:template': { 'f:spec': { 'f:containers': {} } } } };
  return { 'f:spec': { 'f:minReplicas': {} } };
}

/** An object as kubectl prints it after a server-side apply by devenv (and, optionally, by others since). */
function live(o: K8sObject, opts: { uid?: string; time?: string; status?: any; replicas?: number; hpaOwnsReplicas?: boolean } = {}): any {
  const managed = [{ manager: 'devenv', operation: 'Apply', apiVersion: o.apiVersion, time: opts.time ?? '2026-12-01T03:00:00Z', fieldsType: 'FieldsV1', fieldsV1: fieldsOf(o, !opts.hpaOwnsReplicas) }];
  if (opts.hpaOwnsReplicas) managed.push({ manager: 'kube-controller-manager', operation: 'Update', apiVersion: o.apiVersion, time: '2026-12-01T03:05:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } } as any);
  managed.push({ manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', time: '2026-12-01T03:06:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': {} } } as any);
  const spec = o.spec ? { ...o.spec, ...(opts.replicas !== undefined ? { replicas: opts.replicas } : {}) } : undefined;
  return { ...o, ...(spec ? { spec } : {}), metadata: { ...o.metadata, uid: opts.uid ?? `uid-${o.kind}`, generation: 1, managedFields: managed }, status: opts.status ?? (o.kind === 'StatefulSet' ? { observedGeneration: 1, replicas: spec?.replicas, readyReplicas: spec?.replicas, currentRevision: 'web-1', updateRevision: 'web-1' } : undefined) };
}

const list = (items: any[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
const desired = desiredApply(phases, pins, null);
const expect = { context: 'kind-shop', ...desired };
const recorded = applyRecord('kind-shop', desired.hash, parseLiveObjects(list(desired.objects.map((o) => live(o)))), applyLookup(desired.objects, null));

test('the cluster as devenv left it: nothing to do', () => {
  assert.is(notAsApplied(recorded, expect, parseLiveObjects(list(desired.objects.map((o) => live(o))))), null);
});

test('what the record alone tells: no record, another context, other manifests or images', () => {
  assert.match(notAsApplied(null, expect, null)!, /no record/);
  assert.match(notAsApplied({ ...recorded, context: 'kind-other' }, expect, null)!, /context kind-other/);
  const rebuilt = { context: 'kind-shop', ...desiredApply(phases, { 'shop/web': 'shop/web:ffffffffffff' }, null) };
  assert.match(notAsApplied(recorded, rebuilt, null)!, /manifests, images or addon changed/);
  const withAddon = { context: 'kind-shop', ...desiredApply(phases, pins, [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'metrics', namespace: 'kube-system' } }]) };
  assert.match(notAsApplied(recorded, withAddon, null)!, /changed/);
  assert.is(notAsApplied(recorded, expect, null), null, 'the same: worth a look at the cluster');
});

test('drift in the cluster: deleted, recreated, edited by another tool, not rolled out', () => {
  const objs = (f: (o: K8sObject) => any) => parseLiveObjects(list(desired.objects.map(f)));
  assert.match(notAsApplied(recorded, expect, objs((o) => live(o)).filter((o) => o.kind !== 'Secret'))!, /Secret\/keys \(namespace shop\) is not in the cluster/);
  assert.match(notAsApplied(recorded, expect, objs((o) => live(o, { uid: o.kind === 'StatefulSet' ? 'new-uid' : undefined })))!, /StatefulSet\/web .*deleted and created again/);
  // `kubectl edit` of a field devenv set moves it to kubectl's manager: devenv's entry changes.
  const edited = objs((o) => live(o));
  edited.find((o) => o.kind === 'Secret')!.devenvFields = JSON.stringify({ manager: 'devenv', operation: 'Apply', fieldsV1: {} });
  assert.match(notAsApplied(recorded, expect, edited)!, /Secret\/keys .*changed since the last apply/);
  // Another apply by devenv's manager (a different value, the same fields): its time moved.
  assert.match(notAsApplied(recorded, expect, objs((o) => live(o, { time: o.kind === 'StatefulSet' ? '2026-12-01T04:00:00Z' : undefined })))!, /StatefulSet\/web .*changed/);
  const halfReady = objs((o) => live(o, o.kind === 'StatefulSet' ? { status: { observedGeneration: 1, readyReplicas: 1, currentRevision: 'web-1', updateRevision: 'web-1' } } : {}));
  assert.match(notAsApplied(recorded, expect, halfReady)!, /StatefulSet\/web .*1\/2 replicas ready/);
});

test('the HPA scaling a workload it targets is not drift (spec.replicas is the HPA\'s)', () => {
  const scaled = parseLiveObjects(list(desired.objects.map((o) => (o.kind === 'StatefulSet' ? live(o, { hpaOwnsReplicas: true, replicas: 3 }) : live(o)))));
  assert.is(notAsApplied(recorded, expect, scaled), null);
  // Without an HPA aimed at it, the same move is drift.
  const noHpa = desiredApply(phases.filter((p) => p.id !== 'scaling'), pins, null);
  const rec = applyRecord('kind-shop', noHpa.hash, parseLiveObjects(list(noHpa.objects.map((o) => live(o)))), '');
  const moved = parseLiveObjects(list(noHpa.objects.map((o) => (o.kind === 'StatefulSet' ? live(o, { hpaOwnsReplicas: true, replicas: 3 }) : live(o)))));
  assert.match(notAsApplied(rec, { context: 'kind-shop', ...noHpa }, moved)!, /StatefulSet\/web .*changed/);
});

test('a full up leaves spec.replicas out only where the HPA has taken it, so it does not scale the workload back down', () => {
  const scaled = parseLiveObjects(list(desired.objects.map((o) => (o.kind === 'StatefulSet' ? live(o, { hpaOwnsReplicas: true, replicas: 3 }) : live(o)))));
  const handed = leaveReplicasToHpa(desired.objects, scaled);
  assert.equal(handed.left, [{ ref: 'StatefulSet/web', replicas: 3 }]);
  const sts = handed.objects.find((o) => o.kind === 'StatefulSet')!;
  assert.is(sts.spec.replicas, undefined);
  assert.equal(sts.spec.template, desired.objects.find((o) => o.kind === 'StatefulSet')!.spec.template, 'the rest of the spec is applied as rendered');
  assert.is(web.spec.replicas, 2, 'the rendered object is not changed');
  // devenv still owns it (the HPA never scaled), no live copy (a new workload), no HPA: applied as written.
  assert.equal(leaveReplicasToHpa(desired.objects, parseLiveObjects(list(desired.objects.map((o) => live(o))))).left, []);
  assert.equal(leaveReplicasToHpa(desired.objects, []).left, []);
  const noHpa = desiredApply(phases.filter((p) => p.id !== 'scaling'), pins, null);
  assert.equal(leaveReplicasToHpa(noHpa.objects, scaled).left, []);
});

test('rollout completeness as kubectl rollout status judges it', () => {
  const o = (kind: string, replicas: number, status: any): LiveObject => ({ apiVersion: 'apps/v1', kind, namespace: NS, name: 'w', uid: 'u', generation: 2, addonHash: '', replicas, devenvFields: '', status });
  assert.is(rolloutIncomplete(o('StatefulSet', 2, { observedGeneration: 2, readyReplicas: 2, currentRevision: 'a', updateRevision: 'a' })), null);
  assert.match(rolloutIncomplete(o('StatefulSet', 2, { observedGeneration: 1, readyReplicas: 2 }))!, /not yet observed/);
  assert.match(rolloutIncomplete(o('StatefulSet', 2, { observedGeneration: 2, readyReplicas: 2, currentRevision: 'a', updateRevision: 'b' }))!, /revision b/);
  assert.is(rolloutIncomplete(o('Deployment', 1, { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 })), null);
  assert.match(rolloutIncomplete(o('Deployment', 1, { observedGeneration: 2, replicas: 2, updatedReplicas: 1, availableReplicas: 1 }))!, /1\/1|available/);
  assert.match(rolloutIncomplete(o('DaemonSet', 0, { observedGeneration: 2, desiredNumberScheduled: 1, updatedNumberScheduled: 1, numberAvailable: 0 }))!, /0\/1 pods available/);
  assert.is(rolloutIncomplete(o('ConfigMap', 0, null)), null);
});

test('nothing secret is looked up or recorded: names and field names only', () => {
  const lookup = applyLookup(desired.objects, null);
  assert.not.match(lookup, /c2VjcmV0LXZhbHVl|TOKEN/);
  assert.equal(JSON.parse(lookup).items.map((i: any) => `${i.kind}/${i.metadata.namespace}/${i.metadata.name}`), ['Secret/shop/keys', 'StatefulSet/shop/web', 'HorizontalPodAutoscaler/shop/web']);
  const text = JSON.stringify(recorded);
  assert.not.match(text, /c2VjcmV0LXZhbHVl|secret-value/);
  assert.match(text, /f:TOKEN/, 'the field name, which is not secret');
});

test('kubectl output: a List or a single object; only devenv\'s own Apply entry counts', () => {
  const one = parseLiveObjects(JSON.stringify(live(web)));
  assert.is(one.length, 1);
  assert.match(one[0].devenvFields, /"manager":"devenv"/);
  assert.not.match(one[0].devenvFields, /kube-controller-manager/);
  assert.equal(parseLiveObjects(''), []);
  assert.equal(parseLiveObjects(list([])), []);
});

test.run();
