// diagnosePod on sample `kubectl get pod -o json` documents: each failure a
// rollout can hit maps to its problem, the state kubectl shows, and a fix.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod, eventLines } from '../../cli/k8s/pod-diagnosis.ts';

const TAG = 'blockchain-node:0123456789ab';

function pod(name: string, status: any, spec: any = { containers: [{ name: 'blockchain-node', image: TAG }] }) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'blockchain' }, spec, status };
}

test('ImagePullBackOff on the locally built image: load it into kind, keep IfNotPresent', () => {
  const p = pod('webserver-0', {
    phase: 'Pending',
    containerStatuses: [{ name: 'blockchain-node', ready: false, restartCount: 0, image: TAG, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${TAG}"` } } }],
  });
  const events = [
    { involvedObject: { kind: 'Pod', name: 'webserver-0' }, type: 'Warning', reason: 'Failed', message: `Failed to pull image "${TAG}": failed to resolve reference "docker.io/library/${TAG}": pull access denied`, lastTimestamp: '2025-01-01T00:00:02Z' },
    { involvedObject: { kind: 'Pod', name: 'other-0' }, type: 'Warning', reason: 'Failed', message: 'unrelated', lastTimestamp: '2025-01-01T00:00:03Z' },
  ];
  const d = diagnosePod(p, events, { loadedImages: [TAG], clusterName: 'devenv' })!;
  assert.is(d.problem, 'image-pull');
  assert.is(d.state, 'ImagePullBackOff');
  assert.is(d.container, 'blockchain-node');
  assert.match(d.message, /pull access denied/);
  assert.match(d.fix, new RegExp(`kind load docker-image ${TAG} --name devenv`));
  assert.match(d.fix, /IfNotPresent/);
  assert.is(d.previousLogs, false);
  assert.equal(eventLines('webserver-0', events), [`Warning Failed: Failed to pull image "${TAG}": failed to resolve reference "docker.io/library/${TAG}": pull access denied`]);
});

test('ErrImagePull on a registry image: pull it on the host so devenv loads it', () => {
  const p = pod('redis-5d9c7b7f9-abcde', { phase: 'Pending', containerStatuses: [{ name: 'redis', ready: false, image: 'redis:7-alpine', state: { waiting: { reason: 'ErrImagePull' } } }] }, { containers: [{ name: 'redis', image: 'redis:7-alpine' }] });
  const d = diagnosePod(p, [], { loadedImages: [TAG] })!;
  assert.is(d.problem, 'image-pull');
  assert.match(d.fix, /docker pull redis:7-alpine/);
});

test('CrashLoopBackOff: exit code and restarts, read the previous logs', () => {
  const p = pod('miner-1', {
    phase: 'Running',
    containerStatuses: [{ name: 'blockchain-node', ready: false, restartCount: 6, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }],
  });
  const d = diagnosePod(p)!;
  assert.is(d.problem, 'crash-loop');
  assert.is(d.state, 'CrashLoopBackOff');
  assert.match(d.message, /exit code 1, Error; 6 restart\(s\)/);
  assert.match(d.fix, /kubectl logs miner-1 -c blockchain-node -n blockchain --previous/);
  assert.is(d.previousLogs, true);
});

test('OOMKilled: raise the memory limit', () => {
  const p = pod('webserver-1', { phase: 'Running', containerStatuses: [{ name: 'blockchain-node', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] });
  const d = diagnosePod(p)!;
  assert.is(d.problem, 'oom-killed');
  assert.match(d.fix, /limits\.memory/);
});

test('Pending on an unbound PVC: the StorageClass is the fix', () => {
  const p = pod(
    'miner-0',
    {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.' }],
    },
    { containers: [{ name: 'blockchain-node', image: TAG }], volumes: [{ name: 'miner-data', persistentVolumeClaim: { claimName: 'miner-data-miner-0' } }, { name: 'miner-wallets', persistentVolumeClaim: { claimName: 'miner-wallets-miner-0' } }] },
  );
  const d = diagnosePod(p)!;
  assert.is(d.problem, 'pvc-pending');
  assert.is(d.state, 'Pending');
  assert.match(d.message, /miner-data-miner-0, miner-wallets-miner-0/);
  assert.match(d.fix, /StorageClass/);
  assert.match(d.fix, /kubectl get pvc -n blockchain/);
});

test('Pending for lack of CPU: lower the requests', () => {
  const p = pod('webserver-2', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' }] });
  const d = diagnosePod(p)!;
  assert.is(d.problem, 'unschedulable');
  assert.match(d.fix, /resources\.requests/);
});

test('missing Secret key: CreateContainerConfigError points at validate', () => {
  const p = pod('webserver-0', { phase: 'Pending', containerStatuses: [{ name: 'blockchain-node', ready: false, state: { waiting: { reason: 'CreateContainerConfigError', message: 'couldn\'t find key BITCOIN_API_ADMIN_KEY in Secret blockchain/blockchain-secrets' } } }] });
  const d = diagnosePod(p)!;
  assert.is(d.problem, 'config-error');
  assert.match(d.message, /couldn't find key BITCOIN_API_ADMIN_KEY/);
  assert.match(d.fix, /devenv validate/);
});

test('init container still waiting, and failing', () => {
  const waiting = pod('webserver-0', { phase: 'Pending', initContainerStatuses: [{ name: 'wait-for-peers', ready: false, state: { running: { startedAt: '2025-01-01T00:00:00Z' } } }], containerStatuses: [{ name: 'blockchain-node', ready: false, state: { waiting: { reason: 'PodInitializing' } } }] });
  assert.is(diagnosePod(waiting)!.problem, 'init-waiting');
  const failed = pod('webserver-0', { phase: 'Pending', initContainerStatuses: [{ name: 'wait-for-peers', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] });
  const d = diagnosePod(failed)!;
  assert.is(d.problem, 'init-failed');
  assert.match(d.fix, /miner-service:2001, redis:6379/);
});

test('running but not ready: the probe failure from the events', () => {
  const p = pod('webserver-0', { phase: 'Running', containerStatuses: [{ name: 'blockchain-node', ready: false, restartCount: 0, state: { running: {} } }] });
  const events = [{ involvedObject: { kind: 'Pod', name: 'webserver-0' }, type: 'Warning', reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', lastTimestamp: '2025-01-01T00:00:05Z' }];
  const d = diagnosePod(p, events)!;
  assert.is(d.problem, 'not-ready');
  assert.match(d.message, /statuscode: 503/);
});

test('a Running and Ready pod has no diagnosis', () => {
  assert.is(diagnosePod(pod('miner-0', { phase: 'Running', containerStatuses: [{ name: 'blockchain-node', ready: true, restartCount: 0, state: { running: {} } }] })), null);
});

test('a loaded image is told apart by repository, read by the one image parser (registry:5000/x is not registry)', () => {
  const pull = (image: string, loaded: string[]) => diagnosePod(pod('app-0', { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, image, state: { waiting: { reason: 'ErrImagePull' } } }] }, { containers: [{ name: 'app', image }] }), [], { loadedImages: loaded, clusterName: 'dev' })!;
  assert.match(pull('registry:5000/team/app:2', ['registry:5000/team/app:1']).fix, /kind load docker-image registry:5000\/team\/app:2 --name dev/);
  assert.match(pull('registry:5000/other:2', ['registry:5000/team/app:1']).fix, /docker pull registry:5000\/other:2/);
  assert.match(pull('redis:7', ['docker.io/library/redis:6']).fix, /kind load docker-image redis:7/);
});

test.run();
