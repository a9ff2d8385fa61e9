// Benchmark input for `npm run bench`: this project's topology (two miners, a
// webserver, redis; Settings.toml, per-instance volumes, HPA, PDB, headless
// Services) repeated `factor` times under distinct names, written as one
// Compose file and one kustomization into a fresh temporary directory. Not
// used by the CLI; the only code under cli/topology that writes files.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LargeTopology {
  dir: string;
  composeFile: string;
  manifestsDir: string;
  /** Compose services written (4 per copy). */
  services: number;
}

const SETTINGS = (redis: string) => `[rate_limiter]
redis_addr = "${redis}:6379"
ip_whitelist = ["127.0.0.1"]

[[rate_limiter.limiter]]
strategy = "ip"
global_bucket = { tokens_count = 100, add_tokens_every = 1 }
`;

function composeCopy(p: string): string {
  const node = (name: string, env: string, port: string, extra = '') => `  ${p}${name}:
    <<: *node
    hostname: ${p}${name}
    environment:
${env}
      LOG_LEVEL: \${LOG_LEVEL:-info}
    ports:
      - "127.0.0.1::${port}"
    volumes:
      - ${p}${name}_data:/app/data
      - ${p}${name}_wallets:/app/wallets
${extra}`;
  return [
    node('miner_1', `      NODE_IS_MINER: "yes"\n      NODE_IS_WEB_SERVER: "no"\n      NODE_CONNECT_NODES: local`, '2001'),
    node('miner_2', `      NODE_IS_MINER: "yes"\n      NODE_IS_WEB_SERVER: "no"\n      NODE_CONNECT_NODES: ${p}miner_1:2001`, '2001', `    depends_on:\n      ${p}miner_1:\n        condition: service_healthy\n`),
    node(
      'webserver_1',
      `      NODE_IS_MINER: "no"\n      NODE_IS_WEB_SERVER: "yes"\n      NODE_CONNECT_NODES: ${p}miner_1:2001\n      RL_SETTINGS_PATH: /app/Settings.toml\n      BITCOIN_API_ADMIN_KEY: \${BITCOIN_API_ADMIN_KEY:-dev-admin}\n      BITCOIN_API_WALLET_KEY: \${BITCOIN_API_WALLET_KEY:-dev-wallet}`,
      '8080',
      `      - ./${p}Settings.toml:/app/Settings.toml:ro\n    depends_on:\n      ${p}miner_1:\n        condition: service_healthy\n      ${p}redis:\n        condition: service_healthy\n`,
    ),
    `  ${p}redis:
    image: redis:7-alpine
    restart: unless-stopped
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
      interval: 3s
`,
  ].join('');
}

function manifestsCopy(p: string, ns: string): string {
  const env = (role: 'miner' | 'webserver') => `          env:
            - name: POD_NAME
              valueFrom: { fieldRef: { fieldPath: metadata.name } }
            - name: POD_NAMESPACE
              valueFrom: { fieldRef: { fieldPath: metadata.namespace } }
            - name: NODE_IS_MINER
              value: "${role === 'miner' ? 'yes' : 'no'}"
            - name: NODE_IS_WEB_SERVER
              value: "${role === 'miner' ? 'no' : 'yes'}"
            - name: NODE_CONNECT_NODES
              value: ${role === 'miner' ? 'local' : `${p}miner-0.${p}miner-headless.$(POD_NAMESPACE).svc.cluster.local:2001`}
${role === 'miner' ? `            - name: NODE_HEADLESS_SERVICE\n              value: ${p}miner-headless\n` : `            - name: RL_SETTINGS_PATH\n              value: /app/Settings.toml\n            - name: BITCOIN_API_ADMIN_KEY\n              valueFrom: { secretKeyRef: { name: ${p}secrets, key: BITCOIN_API_ADMIN_KEY } }\n            - name: BITCOIN_API_WALLET_KEY\n              valueFrom: { secretKeyRef: { name: ${p}secrets, key: BITCOIN_API_WALLET_KEY } }\n`}            - name: LOG_LEVEL
              valueFrom: { configMapKeyRef: { name: ${p}config, key: LOG_LEVEL } }`;
  const set = (role: 'miner' | 'webserver', replicas: number) => `apiVersion: v1
kind: Service
metadata: { name: ${p}${role}-headless }
spec:
  clusterIP: None
  selector: { app: ${p}${role} }
  ports:
    - { name: p2p, port: 2001, targetPort: p2p }
---
apiVersion: v1
kind: Service
metadata: { name: ${p}${role}-service }
spec:
  selector: { app: ${p}${role} }
  ports:
    - { name: ${role === 'miner' ? 'p2p' : 'web'}, port: ${role === 'miner' ? 2001 : 8080}, targetPort: ${role === 'miner' ? 'p2p' : 'web'} }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: ${p}${role} }
spec:
  serviceName: ${p}${role}-headless
  replicas: ${replicas}
  podManagementPolicy: OrderedReady
  selector: { matchLabels: { app: ${p}${role} } }
  template:
    metadata: { labels: { app: ${p}${role} } }
    spec:
      terminationGracePeriodSeconds: 10
${role === 'webserver' ? `      initContainers:\n        - name: wait\n          image: blockchain-node:dev\n          command: ["blockchain-node", "wait-for", "${p}miner-0.${p}miner-headless:2001", "${p}redis:6379"]\n` : ''}      containers:
        - name: blockchain-node
          image: blockchain-node:dev
          ports:
            - { name: p2p, containerPort: 2001 }
${role === 'webserver' ? '            - { name: web, containerPort: 8080 }\n' : ''}${env(role)}
          readinessProbe:
            ${role === 'miner' ? 'tcpSocket: { port: p2p }' : 'httpGet: { path: /api/health/ready, port: web }'}
          volumeMounts:
            - { name: data, mountPath: /app/data }
            - { name: wallets, mountPath: /app/wallets }
${role === 'webserver' ? `            - { name: settings, mountPath: /app/Settings.toml, subPath: Settings.toml, readOnly: true }\n      volumes:\n        - name: settings\n          configMap: { name: ${p}rate-limit-settings }\n` : ''}  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
    - metadata: { name: wallets }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 64Mi } } }
`;
  return `${set('miner', 2)}---
${set('webserver', 1)}---
apiVersion: v1
kind: ConfigMap
metadata: { name: ${p}config }
data:
  LOG_LEVEL: info
---
apiVersion: v1
kind: ConfigMap
metadata: { name: ${p}rate-limit-settings }
data:
  Settings.toml: |
${SETTINGS(`${p}redis.${ns}.svc.cluster.local`).replace(/^(?=.)/gm, '    ')}---
apiVersion: v1
kind: Secret
metadata: { name: ${p}secrets }
stringData:
  BITCOIN_API_ADMIN_KEY: dev-admin
  BITCOIN_API_WALLET_KEY: dev-wallet
---
apiVersion: v1
kind: Service
metadata: { name: ${p}redis }
spec:
  selector: { app: ${p}redis }
  ports:
    - { port: 6379, targetPort: 6379 }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${p}redis }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${p}redis } }
  template:
    metadata: { labels: { app: ${p}redis } }
    spec:
      terminationGracePeriodSeconds: 10
      containers:
        - name: redis
          image: redis:7-alpine
          ports:
            - containerPort: 6379
          readinessProbe:
            exec: { command: ["redis-cli", "ping"] }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${p}miner-pdb }
spec:
  minAvailable: 1
  selector: { matchLabels: { app: ${p}miner } }
`;
}

/** Writes a Compose file and a kustomization `factor` times this project's size; returns their paths. */
export function generateLargeTopology(factor = 50, dir = mkdtempSync(join(tmpdir(), 'devenv-large-topology-'))): LargeTopology {
  const ns = 'blockchain';
  const manifestsDir = join(dir, 'manifests');
  mkdirSync(manifestsDir, { recursive: true });
  const services: string[] = [];
  const volumes: string[] = [];
  const resources: string[] = [];
  for (let i = 1; i <= factor; i++) {
    const p = `n${i}`;
    services.push(composeCopy(p));
    for (const n of ['miner_1', 'miner_2', 'webserver_1']) volumes.push(`  ${p}${n}_data:\n  ${p}${n}_wallets:\n`);
    writeFileSync(join(dir, `${p}Settings.toml`), SETTINGS(`${p}redis`));
    writeFileSync(join(manifestsDir, `${p}.yaml`), manifestsCopy(p, ns));
    resources.push(`  - ${p}.yaml`);
  }
  const compose = `name: large
x-node: &node
  image: blockchain-node:dev
  restart: unless-stopped
  stop_grace_period: 10s
  healthcheck:
    test: ["CMD", "blockchain-node", "healthcheck"]
    interval: 5s
services:
${services.join('')}volumes:
${volumes.join('')}`;
  const composeFile = join(dir, 'docker-compose.yml');
  writeFileSync(composeFile, compose);
  writeFileSync(join(manifestsDir, 'kustomization.yaml'), `namespace: ${ns}\nresources:\n${resources.join('\n')}\n`);
  return { dir, composeFile, manifestsDir, services: factor * 4 };
}
