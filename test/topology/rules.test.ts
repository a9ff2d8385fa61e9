// Each rule on a minimal pair written for it (drift.test.ts covers the
// project-shaped cases): the rule must report what it claims, at the right
// severity, and stay quiet on the equivalent form.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RULES } from '../../cli/topology/rules/index.ts';
import { pairFromText, ruleFindings } from './helpers.ts';

const deployment = (name: string, container: string, extra = '', replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
${extra}      containers:
        - name: ${name}
${container}`;

test('every rule has an id, a description and a unique id', () => {
  const ids = RULES.map((r) => r.id);
  assert.is(new Set(ids).size, ids.length);
  for (const r of RULES) assert.ok(/^[a-z-]+$/.test(r.id) && r.description.length > 30, r.id);
});

test('image: another repository is an error; docker.io/library/ spelled out is the same', async () => {
  const r = await pairFromText('services:\n  app: { image: "nginx:1.27" }\n', deployment('app', '          image: docker.io/library/nginx:1.27\n'));
  assert.equal(ruleFindings(r, 'image'), []);
  const other = await pairFromText('services:\n  app: { image: "nginx:1.27" }\n', deployment('app', '          image: caddy:2\n'));
  assert.equal(ruleFindings(other, 'image'), ['error app image']);
});

test('command: Compose command is Kubernetes args', async () => {
  const same = await pairFromText('services:\n  app: { image: x, command: ["serve", "--port", "80"] }\n', deployment('app', '          image: x\n          args: ["serve", "--port", "80"]\n'));
  assert.equal(ruleFindings(same, 'command'), []);
  const r = await pairFromText('services:\n  app: { image: x, command: serve --port 80 }\n', deployment('app', '          image: x\n          args: ["serve"]\n'));
  assert.equal(ruleFindings(r, 'command'), ['warn app args']);
});

test('resources: a Compose limit missing or different in Kubernetes is a warn', async () => {
  const compose = 'services:\n  app:\n    image: x\n    deploy: { resources: { limits: { cpus: "0.5", memory: 512m } } }\n';
  const same = await pairFromText(compose, deployment('app', '          image: x\n          resources: { limits: { cpu: 500m, memory: 512Mi } }\n'));
  assert.equal(ruleFindings(same, 'resources'), []);
  const r = await pairFromText(compose, deployment('app', '          image: x\n          resources: { limits: { cpu: "1" }, requests: { cpu: 100m } }\n'));
  assert.equal(ruleFindings(r, 'resources').sort(), ['info app resources', 'warn app limits.cpu', 'warn app limits.memory']);
});

test('restart: unless-stopped is Always; a shorter grace period is a warn', async () => {
  const r = await pairFromText('services:\n  app: { image: x, restart: unless-stopped, stop_grace_period: 1m }\n', deployment('app', '          image: x\n', '      terminationGracePeriodSeconds: 20\n'));
  assert.equal(ruleFindings(r, 'restart'), ['warn app stop grace period']);
  const no = await pairFromText('services:\n  app: { image: x }\n', deployment('app', '          image: x\n', '      terminationGracePeriodSeconds: 10\n'));
  assert.equal(ruleFindings(no, 'restart'), ['info app restart']);
});

test('references: a missing ConfigMap key stops the pod; an optional one does not', async () => {
  const env = (optional: boolean) => `          image: x\n          env:\n            - name: MODE\n              valueFrom: { configMapKeyRef: { name: cfg, key: nope, optional: ${optional} } }\n`;
  const cm = '---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: cfg }\ndata: { mode: fast }\n';
  const r = await pairFromText('services:\n  app: { image: x }\n', deployment('app', env(false)) + cm);
  assert.equal(ruleFindings(r, 'references'), ['error app MODE']);
  const opt = await pairFromText('services:\n  app: { image: x }\n', deployment('app', env(true)) + cm);
  assert.equal(ruleFindings(opt, 'references'), []);
});

test('secrets: a secret Compose takes from .env must not be a manifest literal', async () => {
  const r = await pairFromText('services:\n  app:\n    image: x\n    environment: { API_TOKEN: "${API_TOKEN:?}" }\n', deployment('app', '          image: x\n          env:\n            - { name: API_TOKEN, value: abc123 }\n'));
  assert.equal(ruleFindings(r, 'secrets'), ['warn app API_TOKEN']);
  assert.not.ok(JSON.stringify(r).includes('abc123'), 'the literal is not printed');
});

test('environment: a variable only Kubernetes sets is a warn; downward API is info', async () => {
  const r = await pairFromText('services:\n  app: { image: x }\n', deployment('app', '          image: x\n          env:\n            - { name: EXTRA, value: "1" }\n            - name: POD_IP\n              valueFrom: { fieldRef: { fieldPath: status.podIP } }\n'));
  assert.equal(ruleFindings(r, 'environment').sort(), ['info app downward API', 'warn app EXTRA']);
});

test('ports: a published port no Service exposes is a warn; a NodePort Service port of the same number is not a host port (info)', async () => {
  const compose = 'services:\n  app: { image: x, ports: ["8080:80"] }\n';
  const svc = (type: string, port: number) => `---\napiVersion: v1\nkind: Service\nmetadata: { name: app }\nspec:\n  type: ${type}\n  selector: { app: app }\n  ports: [{ port: ${port}, targetPort: 80 }]\n`;
  const none = await pairFromText(compose, deployment('app', '          image: x\n'));
  assert.equal(ruleFindings(none, 'ports'), ['warn app host port 8080']);
  const nodePort = await pairFromText(compose, deployment('app', '          image: x\n') + svc('NodePort', 8080));
  assert.equal(ruleFindings(nodePort, 'ports'), ['info app host port 8080']);
  const lb = await pairFromText(compose, deployment('app', '          image: x\n') + svc('LoadBalancer', 8080));
  assert.equal(ruleFindings(lb, 'ports'), []);
  const cluster = await pairFromText(compose, deployment('app', '          image: x\n') + svc('ClusterIP', 80));
  assert.equal(ruleFindings(cluster, 'ports'), ['info app host port 8080']);
});

test('peers: a seed in Kubernetes where Compose dials a peer is an error; a name that reaches nothing too', async () => {
  const compose = 'services:\n  node_1: { image: n, environment: { NODE_IS_MINER: "yes", NODE_CONNECT_NODES: local } }\n  node_2: { image: n, environment: { NODE_IS_MINER: "yes", NODE_CONNECT_NODES: "node_1:2001" } }\n';
  const set = (env: string) => `apiVersion: v1\nkind: Service\nmetadata: { name: node-headless }\nspec: { clusterIP: None, selector: { app: node }, ports: [{ port: 2001 }] }\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: node }\nspec:\n  serviceName: node-headless\n  replicas: 2\n  selector: { matchLabels: { app: node } }\n  template:\n    metadata: { labels: { app: node } }\n    spec:\n      containers:\n        - name: node\n          image: n\n          env:\n${env}`;
  const podName = '            - name: POD_NAME\n              valueFrom: { fieldRef: { fieldPath: metadata.name } }\n';
  const base = '            - { name: NODE_IS_MINER, value: "yes" }\n            - { name: NODE_HEADLESS_SERVICE, value: node-headless }\n';
  // With POD_NAME the node derives node-0.node-headless... for ordinal 1: the Compose chain.
  const derived = await pairFromText(compose, set(base + podName + '            - { name: NODE_CONNECT_NODES, value: local }\n'));
  assert.equal(ruleFindings(derived, 'peers'), []);
  // Without POD_NAME it cannot: node-1 becomes a second seed.
  const seed = await pairFromText(compose, set(base + '            - { name: NODE_CONNECT_NODES, value: local }\n'));
  assert.equal(ruleFindings(seed, 'peers'), ['error node NODE_CONNECT_NODES']);
  const wrongNs = await pairFromText(compose, set(base + podName + '            - { name: NODE_CONNECT_NODES, value: "node-0.node-headless.prod.svc.cluster.local:2001" }\n'));
  assert.ok(ruleFindings(wrongNs, 'peers').includes('error node NODE_CONNECT_NODES'));
});

test('dependencies: ordinals of a Parallel StatefulSet do not wait for each other', async () => {
  const compose = 'services:\n  db_1: { image: d, healthcheck: { test: [CMD, ok] } }\n  db_2: { image: d, depends_on: { db_1: { condition: service_healthy } }, healthcheck: { test: [CMD, ok] } }\n';
  const set = (policy: string) => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: db }\nspec:\n  serviceName: db\n  replicas: 2\n  podManagementPolicy: ${policy}\n  selector: { matchLabels: { app: db } }\n  template:\n    metadata: { labels: { app: db } }\n    spec:\n      containers:\n        - name: db\n          image: d\n          readinessProbe: { exec: { command: [ok] } }\n`;
  assert.equal(ruleFindings(await pairFromText(compose, set('OrderedReady')), 'dependencies'), []);
  assert.equal(ruleFindings(await pairFromText(compose, set('Parallel')), 'dependencies'), ['warn db depends_on db_1']);
});

test('healthchecks: no probe at all is a warn; an exec healthcheck vs an HTTP probe is info', async () => {
  const compose = 'services:\n  app: { image: x, healthcheck: { test: ["CMD", "/bin/check"] } }\n';
  assert.equal(ruleFindings(await pairFromText(compose, deployment('app', '          image: x\n')), 'healthchecks'), ['warn app readiness']);
  const http = await pairFromText(compose, deployment('app', '          image: x\n          readinessProbe: { httpGet: { path: /ready, port: 80 } }\n'));
  assert.equal(ruleFindings(http, 'healthchecks'), ['info app readiness']);
});

test('volumes: a named volume with no volume in Kubernetes loses data (error); a read-only flip is a warn', async () => {
  const compose = 'services:\n  app: { image: x, volumes: ["data:/data", "./conf:/conf:ro"] }\nvolumes: { data: {} }\n';
  const r = await pairFromText(compose, deployment('app', '          image: x\n          volumeMounts: [{ name: conf, mountPath: /conf }]\n', '      volumes: [{ name: conf, hostPath: { path: /srv/conf } }]\n'));
  assert.equal(ruleFindings(r, 'volumes').sort(), ['error app /data', 'warn app /conf readOnly']);
});

test('config-files: a file Compose mounts that no ConfigMap provides is a warn', async () => {
  const r = await pairFromText('services:\n  app: { image: x, volumes: ["./app.json:/etc/app.json:ro"] }\n', deployment('app', '          image: x\n'), { 'compose/app.json': '{"debug": false, "db": {"host": "app"}}\n' });
  assert.equal(ruleFindings(r, 'config-files'), ['warn app /etc/app.json']);
  const cm = `---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: conf }\ndata:\n  app.json: |\n    {"debug": true,\n     "db": {"host": "app.chain.svc.cluster.local"}}\n`;
  const mounted = deployment('app', '          image: x\n          volumeMounts: [{ name: conf, mountPath: /etc/app.json, subPath: app.json, readOnly: true }]\n', '      volumes: [{ name: conf, configMap: { name: conf } }]\n');
  const svc = '---\napiVersion: v1\nkind: Service\nmetadata: { name: app }\nspec: { selector: { app: app }, ports: [{ port: 80 }] }\n';
  const r2 = await pairFromText('services:\n  app: { image: x, volumes: ["./app.json:/etc/app.json:ro"] }\n', mounted + cm + svc, { 'compose/app.json': '{"debug": false, "db": {"host": "app"}}\n' });
  // db.host is the same service under its cluster name; debug really changed, on the JSON's first line.
  const f = r2.findings.filter((x) => x.rule === 'config-files');
  assert.equal(f.map((x) => `${x.severity} ${x.subject}`), ['warn /etc/app.json debug']);
  const line = (mounted + cm + svc).split('\n').findIndex((l) => l.includes('{"debug": true,')) + 1;
  assert.equal(f[0].kubernetes!.location, { file: 'manifests/all.yaml', line });
  assert.equal(f[0].compose!.location, { file: 'compose/app.json', line: 1 });
});

test('platform-objects and unsupported: listed as info with their lines', async () => {
  const r = await pairFromText('services:\n  app: { image: x, shm_size: 1g }\n', deployment('app', '          image: x\n', '      nodeSelector: { disk: ssd }\n') + '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny }\nspec: { podSelector: { matchLabels: { app: app } } }\n');
  assert.equal(ruleFindings(r, 'platform-objects'), ['info app NetworkPolicy/deny']);
  assert.equal(ruleFindings(r, 'unsupported').sort(), ['info app pod-spec', 'warn app shm_size']);
});

test.run();
