// The committed manifests: `kubectl kustomize manifests/` (real kubectl)
// renders them, every rendered object passes the schema and reviewer checks,
// and the design facts the rest of devenv relies on hold (names, ports, peer
// topology, images, the rate limiter's settings equal to Compose's).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse as parseToml } from 'smol-toml';
import { parseAllDocuments } from 'yaml';
import { defaultConfig } from '../../cli/config.ts';
import { kindClusterConfig, NODE_PORTS } from '../../cli/k8s/kind-config.ts';
import { jsonObject, type K8sObject, type ManifestObject } from '../../cli/manifests/objects.ts';
import { loadManifests } from '../../cli/manifests/render.ts';
import { checkObjects } from '../../cli/k8s/validate-manifests.ts';
import { skipIf } from '../helpers/skip.ts';
import { repoRoot } from './helpers.ts';

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client', '-o', 'json'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `kubectl kustomize` on a copy whose secrets.env comes from the example (a fresh clone has none). */
function kubectlRender(dir: string): K8sObject[] {
  const tmp = mkdtempSync(join(tmpdir(), 'devenv-manifests-'));
  try {
    cpSync(dir, join(tmp, 'm'), { recursive: true });
    if (!existsSync(join(tmp, 'm/secrets.env')) && existsSync(join(tmp, 'm/secrets.env.example'))) copyFileSync(join(tmp, 'm/secrets.env.example'), join(tmp, 'm/secrets.env'));
    const yaml = execFileSync('kubectl', ['kustomize', join(tmp, 'm')], { encoding: 'utf8' });
    return parseAllDocuments(yaml).map((d) => d.toJS()).filter(Boolean);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const kubectl = skipIf(hasKubectl() ? false : 'kubectl is not on PATH');
const manifests = join(repoRoot, 'manifests');
const addon = join(manifests, 'addons/metrics-server');
const loaded = (objects: K8sObject[]): ManifestObject[] => objects.map((object) => jsonObject(object));
const renderBuiltin = async (dir: string) => loadManifests([dir], { cwd: repoRoot, missingInputs: 'example' });

kubectl('kubectl kustomize manifests/ renders, and every rendered object passes the checks (no error, no warning)', async () => {
  const objects = kubectlRender(manifests);
  assert.equal(objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort(), [
    'ConfigMap/blockchain-config', 'ConfigMap/rate-limit-settings', 'Deployment/redis', 'HorizontalPodAutoscaler/miner-hpa', 'HorizontalPodAutoscaler/webserver-hpa', 'Namespace/blockchain',
    'PodDisruptionBudget/miner-pdb', 'PodDisruptionBudget/webserver-pdb', 'Secret/blockchain-secrets', 'Service/miner-headless', 'Service/miner-service', 'Service/redis',
    'Service/webserver-headless', 'Service/webserver-service', 'StatefulSet/miner', 'StatefulSet/webserver',
  ]);
  assert.equal(await checkObjects(loaded(objects)), []);
  assert.ok(objects.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata?.namespace === 'blockchain'));
});

kubectl('the metrics-server addon renders and passes the checks', async () => {
  const objects = kubectlRender(addon);
  assert.equal(await checkObjects(loaded(objects)), []);
  const dep = objects.find((o) => o.kind === 'Deployment')!;
  const c = dep.spec.template.spec.containers[0];
  assert.is(c.image, 'registry.k8s.io/metrics-server/metrics-server:v0.8.0');
  for (const flag of ['--kubelet-insecure-tls', '--kubelet-preferred-address-types=InternalIP,Hostname,ExternalIP', '--metric-resolution=15s']) assert.ok(c.args.includes(flag), flag);
  assert.ok(objects.some((o) => o.kind === 'APIService' && o.metadata?.name === 'v1beta1.metrics.k8s.io'));
});

kubectl('the built-in renderer produces exactly what kubectl kustomize does', async () => {
  for (const dir of [manifests, addon]) {
    const viaKubectl = kubectlRender(dir);
    const builtin = (await renderBuiltin(dir)).objects.map((o) => JSON.parse(JSON.stringify(o.object)));
    const key = (o: K8sObject) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`;
    assert.equal(builtin.map(key).sort(), viaKubectl.map(key).sort());
    for (const o of viaKubectl) assert.ok(isDeepStrictEqual(o, builtin.find((b) => key(b) === key(o))), `${key(o)} differs`);
  }
});

const objects = (await renderBuiltin(manifests)).objects.map((o) => o.object);
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name)!;
const env = (sts: K8sObject) => sts.spec.template.spec.containers[0].env as any[];

test('miners: 2 replicas, headless governing service, downward API, seed topology, per-pod volumes, uid 10001', () => {
  const m = find('StatefulSet', 'miner');
  assert.is(m.spec.replicas, 2);
  assert.is(m.spec.serviceName, 'miner-headless');
  const names = env(m).map((e) => e.name);
  for (const n of ['POD_NAME', 'POD_NAMESPACE', 'POD_IP']) assert.ok(names.includes(n), n);
  const cfg = find('ConfigMap', 'blockchain-config').data;
  const fromCfg = (n: string) => cfg[env(m).find((e) => e.name === n).valueFrom.configMapKeyRef.key];
  assert.is(fromCfg('NODE_IS_MINER'), 'yes');
  assert.is(fromCfg('NODE_IS_WEB_SERVER'), 'no');
  assert.is(fromCfg('NODE_CONNECT_NODES'), 'local');
  assert.is(fromCfg('NODE_HEADLESS_SERVICE'), 'miner-headless');
  assert.equal(m.spec.volumeClaimTemplates.map((v: any) => v.metadata.name), ['miner-data', 'miner-wallets']);
  assert.equal(m.spec.template.spec.containers[0].volumeMounts.map((v: any) => `${v.name}:${v.mountPath}`), ['miner-data:/app/data', 'miner-wallets:/app/wallets']);
  assert.is(m.spec.template.spec.securityContext.fsGroup, 10001);
  assert.is(find('Service', 'miner-headless').spec.clusterIP, 'None');
  assert.is(find('Service', 'miner-headless').spec.publishNotReadyAddresses, true);
});

test('webservers: peer through the miner Service built from POD_NAMESPACE, wait for peers with the node image, health routes', () => {
  const w = find('StatefulSet', 'webserver');
  const e = env(w);
  const connect = e.find((x) => x.name === 'NODE_CONNECT_NODES');
  assert.is(connect.value, 'miner-service.$(POD_NAMESPACE).svc.cluster.local:2001');
  assert.ok(e.findIndex((x) => x.name === 'POD_NAMESPACE') < e.indexOf(connect), '$(POD_NAMESPACE) must be defined before it is used');
  assert.not.match(JSON.stringify(w), /\.blockchain\.svc/);
  const init = w.spec.template.spec.initContainers[0];
  assert.equal(init.command, ['blockchain-node', 'wait-for', 'miner-service:2001', 'redis:6379', '--timeout', '300']);
  assert.is(init.image, w.spec.template.spec.containers[0].image);
  const c = w.spec.template.spec.containers[0];
  assert.is(c.livenessProbe.httpGet.path, '/api/health/live');
  assert.is(c.readinessProbe.httpGet.path, '/api/health/ready');
  assert.equal(e.filter((x) => x.valueFrom?.secretKeyRef).map((x) => x.name), ['BITCOIN_API_ADMIN_KEY', 'BITCOIN_API_WALLET_KEY']);
  const mount = c.volumeMounts.find((v: any) => v.mountPath === '/app/Settings.toml');
  assert.is(mount.subPath, 'Settings.toml');
  assert.is(find('ConfigMap', 'blockchain-config').data[e.find((x) => x.name === 'RL_SETTINGS_PATH').valueFrom.configMapKeyRef.key], '/app/Settings.toml');
});

test('webserver-service NodePorts are the ones the kind config maps to the Compose host ports', () => {
  const svc = find('Service', 'webserver-service');
  assert.is(svc.spec.type, 'NodePort');
  const byName = Object.fromEntries(svc.spec.ports.map((p: any) => [p.name, p]));
  assert.equal([byName.web.port, byName.web.targetPort, byName.web.nodePort], [8080, 'web', NODE_PORTS.api]);
  assert.equal([byName.p2p.port, byName.p2p.targetPort, byName.p2p.nodePort], [2101, 'p2p', NODE_PORTS.webserverP2p]);
  const cfg = defaultConfig(repoRoot);
  const mappings = kindClusterConfig(cfg).nodes[0].extraPortMappings!;
  assert.equal(mappings.map((m) => [m.containerPort, m.hostPort]), [[NODE_PORTS.api, cfg.ports.api], [NODE_PORTS.webserverP2p, cfg.ports.webserverP2p]]);
});

test('HPAs (autoscaling/v2) start at the StatefulSet replicas and scale down slowly; PDBs keep one pod', () => {
  for (const [hpa, sts] of [['webserver-hpa', 'webserver'], ['miner-hpa', 'miner']]) {
    const h = find('HorizontalPodAutoscaler', hpa);
    assert.is(h.apiVersion, 'autoscaling/v2');
    assert.is(h.spec.minReplicas, find('StatefulSet', sts).spec.replicas);
    assert.ok(h.spec.behavior.scaleDown.stabilizationWindowSeconds >= 300);
  }
  assert.equal(find('HorizontalPodAutoscaler', 'webserver-hpa').spec.metrics.map((m: any) => m.resource.name), ['cpu', 'memory']);
  for (const pdb of ['miner-pdb', 'webserver-pdb']) assert.is(find('PodDisruptionBudget', pdb).spec.minAvailable, 1);
});

test('no image floats: placeholder tag dev, IfNotPresent everywhere', () => {
  const containers = objects.flatMap((o) => (o.spec?.template?.spec ? [...(o.spec.template.spec.initContainers ?? []), ...o.spec.template.spec.containers] : []));
  assert.equal([...new Set(containers.map((c: any) => c.image))].sort(), ['blockchain-node:dev', 'redis:7-alpine']);
  assert.ok(containers.every((c: any) => c.imagePullPolicy === 'IfNotPresent'));
});

test('rate-limit-settings holds compose/Settings.toml, field by field', () => {
  const cm = find('ConfigMap', 'rate-limit-settings');
  const k8s = parseToml(cm.data['Settings.toml']);
  const compose = parseToml(readFileSync(join(repoRoot, 'compose/Settings.toml'), 'utf8'));
  assert.equal(k8s, compose);
  assert.is((k8s as any).rate_limiter.redis_addr, 'redis:6379');
  assert.ok(find('Service', 'redis').spec.ports.some((p: any) => p.port === 6379), 'the redis Service answers on the port the settings name');
});

test('the Secret comes from secrets.env (git-ignored); the example lists the keys devenv generates', () => {
  const gitignore = readFileSync(join(repoRoot, '.gitignore'), 'utf8');
  assert.match(gitignore, /^manifests\/secrets\.env$/m);
  const example = readFileSync(join(manifests, 'secrets.env.example'), 'utf8');
  for (const k of ['BITCOIN_API_ADMIN_KEY', 'BITCOIN_API_WALLET_KEY']) assert.match(example, new RegExp(`^${k}=`, 'm'));
  assert.equal(Object.keys(find('Secret', 'blockchain-secrets').data).sort(), ['BITCOIN_API_ADMIN_KEY', 'BITCOIN_API_WALLET_KEY']);
});

test.run();
