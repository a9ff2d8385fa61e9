// Status rows from kubectl JSON, and which pods `logs --k8s` selects.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatK8sStatus } from '../../cli/commands/status.k8s.ts';
import { hpaRows, nodeContainers, podRows, podStatus, pvcRows } from '../../cli/k8s/status-rows.ts';
import { logsSelection } from '../../cli/k8s/logs-selection.ts';

test('pod STATUS column as kubectl shows it', () => {
  assert.is(podStatus({ status: { phase: 'Running', containerStatuses: [{ state: { running: {} } }] } }), 'Running');
  assert.is(podStatus({ status: { phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff' } } }] } }), 'ImagePullBackOff');
  assert.is(podStatus({ status: { phase: 'Pending', initContainerStatuses: [{ state: { running: {} } }] } }), 'Init:0/1');
  assert.is(podStatus({ status: { phase: 'Pending', initContainerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }), 'Init:CrashLoopBackOff');
  assert.is(podStatus({ metadata: { deletionTimestamp: 'x' }, status: { phase: 'Running' } }), 'Terminating');
});

test('rows: pods (ready, restarts), PVCs, HPA current/target', () => {
  const pods = podRows({ items: [{ metadata: { name: 'miner-0', labels: { app: 'miner' } }, spec: { containers: [{}], nodeName: 'devenv-control-plane' }, status: { phase: 'Running', podIP: '10.244.0.5', containerStatuses: [{ ready: true, restartCount: 2, state: { running: {} } }] } }] });
  assert.equal(pods, [{ name: 'miner-0', component: 'miner', ready: '1/1', status: 'Running', restarts: 2, node: 'devenv-control-plane', ip: '10.244.0.5', height: null, peers: null }]);
  pods[0].height = 41;
  pods[0].peers = 3;
  const pvcs = pvcRows({ items: [{ metadata: { name: 'miner-data-miner-0' }, spec: { storageClassName: 'standard' }, status: { phase: 'Bound', capacity: { storage: '1Gi' } } }] });
  assert.equal(pvcs, [{ name: 'miner-data-miner-0', status: 'Bound', capacity: '1Gi', storageClass: 'standard' }]);
  const hpas = hpaRows({
    items: [
      {
        metadata: { name: 'webserver-hpa' },
        spec: { scaleTargetRef: { kind: 'StatefulSet', name: 'webserver' }, minReplicas: 2, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }, { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } }] },
        status: { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12, averageValue: '12m' } } }] },
      },
    ],
  });
  assert.equal(hpas, [{ name: 'webserver-hpa', target: 'StatefulSet/webserver', replicas: '2 (min 2, max 4)', metrics: [{ name: 'cpu', current: '12%', target: '70%' }, { name: 'memory', current: '<unknown>', target: '80%' }] }]);
  const text = formatK8sStatus({ target: 'kind cluster devenv', namespace: 'blockchain', pods, pvcs, hpas, api: 'http://127.0.0.1:8080', height: 12, apiError: null });
  assert.match(text, /miner-0\s+miner\s+1\/1\s+Running\s+2\s+41\s+3\s+10\.244\.0\.5/);
  assert.match(text, /cpu 12%\/70%, memory <unknown>\/80%/);
  assert.match(text, /chain height 12/);
});

test('node pods: running pods with a container of the node image (any registry or tag), not redis or pending pods', () => {
  const pod = (name: string, phase: string, containers: Array<{ name: string; image: string }>) => ({ metadata: { name }, spec: { containers }, status: { phase } });
  const list = {
    items: [
      pod('miner-0', 'Running', [{ name: 'node', image: 'blockchain-node:abc123' }]),
      pod('webserver-0', 'Running', [{ name: 'sidecar', image: 'busybox:1' }, { name: 'blockchain-node', image: 'registry:5000/team/blockchain-node@sha256:' + 'a'.repeat(64) }]),
      pod('miner-1', 'Pending', [{ name: 'node', image: 'blockchain-node:abc123' }]),
      pod('redis-5d9f', 'Running', [{ name: 'redis', image: 'redis:7-alpine' }]),
    ],
  };
  assert.equal(nodeContainers(list, 'blockchain-node'), [
    { pod: 'miner-0', container: 'node' },
    { pod: 'webserver-0', container: 'blockchain-node' },
  ]);
});

test('logs --k8s: roles, pods and Compose names', () => {
  assert.equal(logsSelection(undefined), { selector: 'app.kubernetes.io/part-of=devenv' });
  assert.equal(logsSelection('webserver'), { selector: 'app=webserver' });
  assert.equal(logsSelection('miner_1'), { pod: 'miner-0' });
  assert.equal(logsSelection('webserver_2'), { pod: 'webserver-1' });
  assert.equal(logsSelection('miner-1'), { pod: 'miner-1' });
  assert.throws(() => logsSelection('minr'), /unknown service "minr"/);
});

test.run();
