// One difference per case, on a copy of test/fixtures/migrate-check/base: the
// right rule must find it, with the right severity and both file:line
// locations, and nothing else may fail the run. Each case runs twice: on the
// files as written and, when kubectl is installed, on `kubectl kustomize`
// output traced back to the sources.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { check, kubectlAvailable, lineOf, materialize, summarize, unaccepted, type Edit } from './helpers.ts';

interface Where {
  file: string;
  text: string;
  after?: string;
}

interface Case {
  name: string;
  edits: Edit[];
  rule: string;
  severity: 'error' | 'warn' | 'info';
  service: string;
  subject: string;
  compose: Where | null;
  kubernetes: Where | null;
  /** Other rules the same change legitimately trips. */
  also?: string[];
}

const WEB = 'manifests/webserver.yaml';
const MINER = 'manifests/miner.yaml';
const COMPOSE = 'compose/docker-compose.yml';
const container: Where = { file: WEB, text: '- name: blockchain-node', after: 'containers:' };

const cases: Case[] = [
  {
    name: 'changed port: the Service sends 8080 to container port 8081',
    edits: [{ file: WEB, find: '      port: 8080\n      targetPort: 8080', replace: '      port: 8080\n      targetPort: 8081' }],
    rule: 'ports',
    severity: 'error',
    service: 'webserver',
    subject: 'service webserver-service port 8080',
    compose: { file: COMPOSE, text: '"8080:8080"' },
    kubernetes: { file: WEB, text: '- name: web', after: 'name: webserver-service' },
  },
  {
    name: 'removed env var',
    edits: [{ file: WEB, find: '            - name: LOG_LEVEL\n              valueFrom:\n                configMapKeyRef:\n                  name: node-config\n                  key: LOG_LEVEL\n            - name: BITCOIN', replace: '            - name: BITCOIN' }],
    rule: 'environment',
    severity: 'warn',
    service: 'webserver',
    subject: 'LOG_LEVEL',
    compose: { file: COMPOSE, text: 'LOG_LEVEL', after: 'webserver_1:' },
    kubernetes: container,
  },
  {
    name: 'changed ConfigMap value',
    edits: [{ file: 'manifests/config.yaml', find: 'LOG_LEVEL: info', replace: 'LOG_LEVEL: debug' }],
    rule: 'environment',
    severity: 'warn',
    service: 'webserver',
    subject: 'LOG_LEVEL',
    compose: { file: COMPOSE, text: 'LOG_LEVEL', after: 'webserver_1:' },
    kubernetes: { file: 'manifests/config.yaml', text: 'LOG_LEVEL: debug' },
  },
  {
    name: 'env literal in Compose vs Secret in Kubernetes',
    edits: [{ file: COMPOSE, find: 'BITCOIN_API_ADMIN_KEY: ${BITCOIN_API_ADMIN_KEY:?set it in .env}', replace: 'BITCOIN_API_ADMIN_KEY: committed-admin-key' }],
    rule: 'secrets',
    severity: 'warn',
    service: 'webserver',
    subject: 'BITCOIN_API_ADMIN_KEY',
    compose: { file: COMPOSE, text: 'BITCOIN_API_ADMIN_KEY: committed-admin-key' },
    kubernetes: { file: 'manifests/config.yaml', text: 'BITCOIN_API_ADMIN_KEY: fixture-admin-key' },
  },
  {
    name: 'volume shared by replicas (one PVC for every miner)',
    edits: [
      { file: MINER, find: '              mountPath: /app/wallets\n  volumeClaimTemplates:', replace: '              mountPath: /app/wallets\n      volumes:\n        - name: data\n          persistentVolumeClaim:\n            claimName: miner-data\n  volumeClaimTemplates:' },
      { file: MINER, find: '  volumeClaimTemplates:\n    - metadata:\n        name: data\n      spec:\n        accessModes: ["ReadWriteOnce"]\n        resources:\n          requests:\n            storage: 1Gi\n', replace: '  volumeClaimTemplates:\n' },
    ],
    rule: 'volumes',
    severity: 'error',
    service: 'miner',
    subject: '/app/data',
    compose: { file: COMPOSE, text: '- miner_1_data:/app/data' },
    kubernetes: { file: MINER, text: '- name: data', after: 'volumeMounts:' },
  },
  {
    name: 'emptyDir instead of a named volume',
    edits: [
      { file: MINER, find: '              mountPath: /app/wallets\n  volumeClaimTemplates:', replace: '              mountPath: /app/wallets\n      volumes:\n        - name: wallets\n          emptyDir: {}\n  volumeClaimTemplates:' },
      { file: MINER, find: '    - metadata:\n        name: wallets\n      spec:\n        accessModes: ["ReadWriteOnce"]\n        resources:\n          requests:\n            storage: 64Mi\n', replace: '' },
    ],
    rule: 'volumes',
    severity: 'error',
    service: 'miner',
    subject: '/app/wallets',
    compose: { file: COMPOSE, text: '- miner_1_wallets:/app/wallets' },
    kubernetes: { file: MINER, text: '- name: wallets', after: 'volumeMounts:' },
  },
  {
    name: 'healthcheck mapped only to liveness',
    edits: [{ file: WEB, find: 'readinessProbe:', replace: 'livenessProbe:' }],
    rule: 'healthchecks',
    severity: 'warn',
    service: 'webserver',
    subject: 'readiness',
    compose: { file: COMPOSE, text: 'test: ["CMD", "blockchain-node", "healthcheck"]' },
    kubernetes: { file: WEB, text: 'path: /api/health/ready', after: 'livenessProbe:' },
  },
  {
    name: 'probe on another path',
    edits: [{ file: WEB, find: 'path: /api/health/ready', replace: 'path: /healthz' }],
    rule: 'healthchecks',
    severity: 'warn',
    service: 'webserver',
    subject: 'readiness',
    compose: { file: COMPOSE, text: 'test: ["CMD", "blockchain-node", "healthcheck"]' },
    kubernetes: { file: WEB, text: 'path: /healthz' },
  },
  {
    name: 'missing depends_on equivalent (no init container)',
    edits: [{ file: WEB, find: '      initContainers:\n        - name: wait-for-peers\n          image: blockchain-node:dev\n          command: ["blockchain-node", "wait-for", "miner-0.miner-headless:2001", "redis:6379"]\n', replace: '' }],
    rule: 'dependencies',
    severity: 'warn',
    service: 'webserver',
    subject: 'depends_on redis',
    compose: { file: COMPOSE, text: '      redis:', after: 'webserver_1:' },
    kubernetes: container,
  },
  {
    name: 'replica count',
    edits: [{ file: MINER, find: 'replicas: 2', replace: 'replicas: 3' }],
    rule: 'replicas',
    severity: 'warn',
    service: 'miner',
    subject: 'replicas',
    compose: { file: COMPOSE, text: 'miner_1:' },
    kubernetes: { file: MINER, text: 'replicas: 3' },
  },
  {
    name: 'HPA minimum above the Compose count',
    edits: [{ file: MINER, append: '---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: miner-hpa\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: StatefulSet\n    name: miner\n  minReplicas: 3\n  maxReplicas: 3\n' }],
    rule: 'replicas',
    severity: 'warn',
    service: 'miner',
    subject: 'autoscaling.min',
    compose: { file: COMPOSE, text: 'miner_1:' },
    kubernetes: { file: MINER, text: 'minReplicas: 3' },
  },
  {
    name: 'peer wired to the wrong miner',
    edits: [{ file: WEB, find: 'value: miner-0.miner-headless', replace: 'value: miner-1.miner-headless' }],
    rule: 'peers',
    severity: 'warn',
    service: 'webserver',
    subject: 'NODE_CONNECT_NODES',
    compose: { file: COMPOSE, text: 'NODE_CONNECT_NODES: miner_1:2001', after: 'webserver_1:' },
    kubernetes: { file: WEB, text: 'value: miner-1.miner-headless' },
  },
  {
    name: 'Settings.toml field changed',
    edits: [{ file: 'manifests/settings/Settings.toml', find: 'tokens_count = 100', replace: 'tokens_count = 50' }],
    rule: 'config-files',
    severity: 'warn',
    service: 'webserver',
    subject: '/app/Settings.toml rate_limiter.limiter[0].global_bucket.tokens_count',
    compose: { file: 'compose/Settings.toml', text: 'global_bucket' },
    kubernetes: { file: 'manifests/settings/Settings.toml', text: 'global_bucket' },
  },
  {
    name: 'Compose service without a workload',
    edits: [{ file: COMPOSE, find: '\nvolumes:\n  miner_1_data:', replace: '  worker:\n    image: example/worker:1\n\nvolumes:\n  miner_1_data:' }],
    rule: 'pairing',
    severity: 'error',
    service: 'worker',
    subject: 'workload',
    compose: { file: COMPOSE, text: '  worker:' },
    kubernetes: null,
  },
  {
    name: 'workload without a Compose service',
    edits: [{ file: 'manifests/redis.yaml', append: '---\n# metrics\nkind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: metrics\nspec:\n  selector:\n    matchLabels:\n      app: metrics\n  template:\n    metadata:\n      labels:\n        app: metrics\n    spec:\n      containers:\n        - name: metrics\n          image: prom/statsd-exporter:v0.26.0\n' }],
    rule: 'pairing',
    severity: 'warn',
    service: 'metrics',
    subject: 'workload',
    compose: null,
    kubernetes: { file: 'manifests/redis.yaml', text: 'kind: Deployment', after: '# metrics' },
  },
];

const modes = kubectlAvailable ? [false, true] : [false];
if (!kubectlAvailable) console.log('skipped: the kubectl-rendered half of each case (kubectl not on PATH); the file-reading half runs');

test('the base fixture has no drift', async () => {
  for (const kubectl of modes) {
    const r = await check(materialize('base'), { kubectl });
    assert.equal(r.inputs.render, kubectl ? 'kubectl-kustomize' : 'files');
    assert.equal(unaccepted(r), [], summarize(unaccepted(r)));
    assert.is(r.summary.exitCode, 0);
  }
});

for (const c of cases) {
  test(c.name, async () => {
    const dir = materialize('base', c.edits);
    for (const kubectl of modes) {
      const r = await check(dir, { kubectl });
      const mode = kubectl ? ' (kubectl kustomize)' : ' (files)';
      const f = r.findings.find((x) => x.rule === c.rule && x.service === c.service && x.subject === c.subject && x.severity === c.severity);
      assert.ok(f, `expected ${c.severity} ${c.rule} ${c.service} ${c.subject}${mode}; got:\n${summarize(r.findings.filter((x) => x.severity !== 'info'))}`);
      if (c.compose) assert.equal(f!.compose?.location, { file: c.compose.file, line: lineOf(dir, c.compose.file, c.compose.text, c.compose.after) }, `compose location${mode}`);
      else assert.is(f!.compose, null);
      if (c.kubernetes) assert.equal(f!.kubernetes?.location, { file: c.kubernetes.file, line: lineOf(dir, c.kubernetes.file, c.kubernetes.text, c.kubernetes.after) }, `kubernetes location${mode}`);
      else assert.is(f!.kubernetes, null);
      assert.ok(f!.message.length > 20 && f!.fix.length > 5, 'a finding explains itself and suggests a fix');
      const stray = unaccepted(r).filter((x) => x.rule !== c.rule && !(c.also ?? []).includes(x.rule));
      assert.equal(stray, [], `only ${c.rule} may fail the run${mode}:\n${summarize(stray)}`);
      assert.is(r.summary.exitCode, c.severity === 'info' ? 0 : 4);
    }
  });
}

test('secret values never appear in findings', async () => {
  const dir = materialize('base', [cases[3].edits[0]]);
  const r = await check(dir);
  const text = JSON.stringify(r);
  assert.not.ok(text.includes('committed-admin-key'), 'the Compose literal is not printed');
  assert.not.ok(text.includes('fixture-admin-key'), 'the Secret value is not printed');
});

test.run();
