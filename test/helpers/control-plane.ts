// A real Kubernetes control plane for the tests of the Kubernetes path: etcd,
// kube-apiserver and (when built) kube-controller-manager, kube-scheduler and
// kwok (fake nodes that run pods "for real" as far as the API can tell), all
// built from source by scripts/k8s-test-control-plane.sh, running on loopback
// ports chosen at run time, with certificates made for the run in a temp dir.
//
//   const bin = controlPlaneBinaries();
//   const test = skipIf(bin ? false : 'no control plane binaries', suite('k8s'));
//   let cp: ControlPlane;
//   test.before(async () => { cp = await startControlPlane(); });
//   test.after(async () => { await cp?.stop(); });
//
// Everything started is torn down by stop(), and also when the test process
// exits (normally, on an uncaught exception, on SIGINT/SIGTERM/SIGHUP) and,
// through a small watchdog shell, even when it is SIGKILLed.
// Docs: docs/control-plane.md
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = join(root, 'scripts/k8s-test-control-plane.sh');

export type Component = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';

export interface ControlPlaneOptions {
  /** Run kube-controller-manager when built (default true). */
  controllerManager?: boolean;
  /** Run kube-scheduler when built (default true). */
  scheduler?: boolean;
  /** Run kwok when built (default true); needs the scheduler to be useful. */
  kwok?: boolean;
  /** Fake nodes kwok manages (default 1 when kwok runs). */
  nodes?: number;
  /**
   * Bind every Pending PVC to a hostPath PV made for it (default true when the
   * controller manager runs): there is no storage provisioner, and the scheduler
   * keeps a pod with an unbound PVC Pending.
   */
  fakeProvisioner?: boolean;
  /** How long to wait for each component (default 90 s). */
  readyTimeoutMs?: number;
  /** Keep the temp dir (certs, logs, etcd data) after stop(); also DEVENV_CP_KEEP=1. */
  keep?: boolean;
  /** Bin dir; default controlPlaneBinaries(). */
  binDir?: string;
}

export interface KubectlResult { code: number; stdout: string; stderr: string }

export interface ControlPlane {
  /** Path of an admin kubeconfig (client certificate, O=system:masters). */
  kubeconfig: string;
  /** https://127.0.0.1:<port> */
  server: string;
  binDir: string;
  /** The temp dir: certs/, logs/<component>.log, etcd data. */
  dir: string;
  hasControllerManager: boolean;
  hasScheduler: boolean;
  hasKwok: boolean;
  /** Names of the fake nodes kwok manages (empty without kwok). */
  nodes: string[];
  /** A request to the API server as the admin; JSON in, parsed JSON out. */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Runs kubectl with this kubeconfig. */
  kubectl(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** The last lines of a component's log. */
  logTail(component: Component, lines?: number): string;
  stop(): Promise<void>;
}

/**
 * Where the script put the binaries, or null when etcd + kube-apiserver (and
 * every component in `required`) are not built. A test that needs pods to run,
 * e.g. `controlPlaneBinaries(['kube-controller-manager', 'kube-scheduler', 'kwok'])`,
 * then skips instead of waiting for rollouts that never come.
 */
export function controlPlaneBinaries(required: Component[] = []): string | null {
  let dir = process.env.DEVENV_CONTROL_PLANE_BIN ?? '';
  if (!dir) {
    const r = spawnSync('bash', [script, 'path'], { encoding: 'utf8' });
    dir = r.status === 0 ? r.stdout.trim() : '';
  }
  if (!dir) return null;
  const all: Component[] = ['etcd', 'kube-apiserver', ...required];
  return all.every((c) => built(dir, c)) ? dir : null;
}

/** The binary is there and, in the script's bin dir (which has stamps), its build finished. */
function built(dir: string, c: Component): boolean {
  if (!existsSync(join(dir, c))) return false;
  const stamped = existsSync(join(dir, '.kube-apiserver.stamp')) || existsSync(join(dir, '.etcd.stamp'));
  return !stamped || existsSync(join(dir, `.${c}.stamp`));
}

// ---------------------------------------------------------------------------
// Process bookkeeping: every live control plane, so exit paths can kill them.

interface Live { pgids: Set<number>; dir: string; keep: boolean; watchdog?: number }
const live = new Set<Live>();
let hooksInstalled = false;

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try { process.kill(-pgid, signal); } catch { /* already gone */ }
}

function cleanupSync(l: Live): void {
  for (const g of l.pgids) killGroup(g, 'SIGKILL');
  l.pgids.clear();
  if (l.watchdog) killGroup(l.watchdog, 'SIGKILL');
  if (!l.keep) rmSync(l.dir, { recursive: true, force: true });
  live.delete(l);
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' also runs after an uncaught exception or unhandled rejection.
  process.on('exit', () => { for (const l of [...live]) cleanupSync(l); });
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(sig, () => {
      for (const l of [...live]) cleanupSync(l);
      process.exit(code);
    });
  }
}

/** A detached shell that kills the run's process groups and removes its dir once this process is gone (SIGKILL included). */
function startWatchdog(l: Live): number | undefined {
  const sh = `
    parent=$1; dir=$2; keep=$3
    while kill -0 "$parent" 2>/dev/null; do sleep 1; done
    if [ -f "$dir/pgids" ]; then for g in $(cat "$dir/pgids"); do kill -KILL "-$g" 2>/dev/null; done; fi
    [ "$keep" = 1 ] || rm -rf "$dir"
  `;
  const w = spawn('sh', ['-c', sh, 'devenv-cp-watchdog', String(process.pid), l.dir, l.keep ? '1' : '0'], { detached: true, stdio: 'ignore' });
  w.unref();
  return w.pid;
}

// ---------------------------------------------------------------------------
// Helpers

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr || r.error}`);
}

interface Certs { ca: string; caKey: string; serverCert: string; serverKey: string; adminCert: string; adminKey: string; saKey: string; saPub: string }

/** CA, API server serving cert, admin client cert (O=system:masters), service-account key pair; EC P-256, valid 2 days. */
function makeCerts(dir: string): Certs {
  mkdirSync(dir, { recursive: true });
  const key = (name: string) => openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name], dir);
  key('ca.key');
  openssl(['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=devenv-test-ca', '-days', '2', '-out', 'ca.crt',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature'], dir);
  const sign = (name: string, subj: string, ext: string) => {
    key(`${name}.key`);
    openssl(['req', '-new', '-key', `${name}.key`, '-subj', subj, '-out', `${name}.csr`], dir);
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
      '-out', `${name}.crt`, '-extfile', `${name}.ext`], dir);
  };
  sign('apiserver', '/CN=kube-apiserver', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
    '',
  ].join('\n'));
  sign('admin', '/O=system:masters/CN=devenv-admin', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=clientAuth',
    '',
  ].join('\n'));
  key('sa.key');
  openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const p = (f: string) => join(dir, f);
  return { ca: p('ca.crt'), caKey: p('ca.key'), serverCert: p('apiserver.crt'), serverKey: p('apiserver.key'), adminCert: p('admin.crt'), adminKey: p('admin.key'), saKey: p('sa.key'), saPub: p('sa.pub') };
}

function kubeconfigYaml(server: string, c: Certs): string {
  const b64 = (f: string) => readFileSync(f).toString('base64');
  return `apiVersion: v1
kind: Config
clusters:
- name: devenv-test
  cluster:
    server: ${server}
    certificate-authority-data: ${b64(c.ca)}
users:
- name: devenv-admin
  user:
    client-certificate-data: ${b64(c.adminCert)}
    client-key-data: ${b64(c.adminKey)}
contexts:
- name: devenv-test
  context:
    cluster: devenv-test
    user: devenv-admin
current-context: devenv-test
`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no log)';
  }
}

interface HttpOpts { ca?: Buffer; cert?: Buffer; key?: Buffer; insecure?: boolean }

function httpGetStatus(url: string, o: HttpOpts = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, {
      method: 'GET', timeout: 3000, ca: o.ca, cert: o.cert, key: o.key, rejectUnauthorized: !o.insecure,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: String(e) }));
    req.end();
  });
}

// ---------------------------------------------------------------------------

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const binDir = opts.binDir ?? controlPlaneBinaries();
  if (!binDir) throw new Error('no control plane binaries: run `bash scripts/k8s-test-control-plane.sh build`');
  const has = (c: Component) => built(binDir, c);
  const runKcm = (opts.controllerManager ?? true) && has('kube-controller-manager');
  const runScheduler = (opts.scheduler ?? true) && has('kube-scheduler');
  const runKwok = (opts.kwok ?? true) && has('kwok');
  const fakeProvisioner = opts.fakeProvisioner ?? runKcm;
  const timeoutMs = opts.readyTimeoutMs ?? 90_000;
  const keep = opts.keep ?? process.env.DEVENV_CP_KEEP === '1';

  installExitHooks();
  const dir = mkdtempSync(join(tmpdir(), 'devenv-cp-'));
  const l: Live = { pgids: new Set(), dir, keep };
  live.add(l);
  l.watchdog = startWatchdog(l);
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const procs: { name: Component; child: ChildProcess; exited: boolean }[] = [];
  let provisionerTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  const run = (name: Component, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const fd = openSync(join(logs, `${name}.log`), 'a');
    const child = spawn(join(binDir, name), args, { cwd: dir, detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
    closeSync(fd);
    const p = { name, child, exited: false };
    child.on('exit', () => { p.exited = true; });
    child.on('error', () => { p.exited = true; });
    if (child.pid) {
      l.pgids.add(child.pid);
      writeFileSync(join(dir, 'pgids'), [...l.pgids].join('\n') + '\n');
    }
    procs.push(p);
    return p;
  };

  const waitFor = async (p: { name: Component; exited: boolean }, what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (p.exited) throw new Error(`${p.name} exited while waiting for ${what}:\n${tail(join(logs, `${p.name}.log`))}`);
      if (await check()) return;
      await sleep(250);
    }
    throw new Error(`${p.name}: ${what} not ready after ${timeoutMs} ms:\n${tail(join(logs, `${p.name}.log`))}`);
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (provisionerTimer) clearInterval(provisionerTimer);
    // Reverse order: kwok, scheduler, controller manager, API server, etcd.
    for (const p of [...procs].reverse()) {
      if (!p.child.pid) continue;
      if (!p.exited) {
        killGroup(p.child.pid, 'SIGTERM');
        const deadline = Date.now() + 10_000;
        while (!p.exited && Date.now() < deadline) await sleep(50);
      }
      killGroup(p.child.pid, 'SIGKILL'); // anything the group still has
      l.pgids.delete(p.child.pid);
    }
    cleanupSync(l);
  };

  try {
    const certs = makeCerts(join(dir, 'certs'));
    const [etcdPort, etcdPeer, apiPort, kcmPort, schedPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);

    // etcd: plain HTTP on loopback, no fsync (throwaway data).
    const etcd = run('etcd', [
      '--name=default', `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`, `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
      '--unsafe-no-fsync', '--log-level=warn',
    ]);
    await waitFor(etcd, '/health', async () => (await httpGetStatus(`http://127.0.0.1:${etcdPort}/health`)).status === 200);

    const server = `https://127.0.0.1:${apiPort}`;
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml(server, certs), { mode: 0o600 });

    const admission = runKcm ? [] : ['--disable-admission-plugins=ServiceAccount'];
    const apiserver = run('kube-apiserver', [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--tls-cert-file=${certs.serverCert}`, `--tls-private-key-file=${certs.serverKey}`,
      `--client-ca-file=${certs.ca}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${certs.saPub}`, `--service-account-signing-key-file=${certs.saKey}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=Node,RBAC', '--allow-privileged=true',
      '--profiling=false', `--cert-dir=${join(dir, 'apiserver')}`,
      // The `kubernetes` Service cannot have a loopback endpoint; nothing in the tests dials it.
      '--endpoint-reconciler-type=none',
      // Lets the controller manager and scheduler read a complete extension-apiserver-authentication ConfigMap.
      `--requestheader-client-ca-file=${certs.ca}`, '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-username-headers=X-Remote-User', '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      ...admission,
    ]);
    const ca = readFileSync(certs.ca), cert = readFileSync(certs.adminCert), key = readFileSync(certs.adminKey);
    await waitFor(apiserver, '/readyz', async () => (await httpGetStatus(`${server}/readyz`, { ca, cert, key })).status === 200);

    const request = (method: string, path: string, body?: unknown) => new Promise<{ status: number; body: any }>((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = httpsRequest(new URL(path, server), {
        method, ca, cert, key, timeout: 30_000,
        headers: { accept: 'application/json', ...(data ? { 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' } : {}) },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { text += d; });
        res.on('end', () => {
          let parsed: any = text;
          try { parsed = JSON.parse(text); } catch { /* not JSON */ }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
      req.on('error', reject);
      req.end(data);
    });

    // Components authenticate with the admin kubeconfig (system:masters): a test cluster.
    if (runKcm) {
      const kcm = run('kube-controller-manager', [
        `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
        '--bind-address=127.0.0.1', `--secure-port=${kcmPort}`, `--cert-dir=${join(dir, 'kcm')}`,
        '--leader-elect=false', '--cluster-name=devenv-test',
        `--service-account-private-key-file=${certs.saKey}`, `--root-ca-file=${certs.ca}`,
        `--cluster-signing-cert-file=${certs.ca}`, `--cluster-signing-key-file=${certs.caKey}`,
        '--controllers=*', '--profiling=false',
        // Tests wait on HPA conditions: sync every 2 s instead of 15 s.
        '--horizontal-pod-autoscaler-sync-period=2s',
      ]);
      await waitFor(kcm, '/healthz', async () => (await httpGetStatus(`https://127.0.0.1:${kcmPort}/healthz`, { insecure: true })).status === 200);
    }
    if (runScheduler) {
      const sched = run('kube-scheduler', [
        `--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`,
        '--bind-address=127.0.0.1', `--secure-port=${schedPort}`, `--cert-dir=${join(dir, 'scheduler')}`,
        '--leader-elect=false', '--profiling=false',
      ]);
      await waitFor(sched, '/healthz', async () => (await httpGetStatus(`https://127.0.0.1:${schedPort}/healthz`, { insecure: true })).status === 200);
    }

    const nodes: string[] = [];
    if (runKwok) {
      const kwokHome = join(dir, 'kwok-home');
      mkdirSync(kwokHome);
      const kwok = run('kwok', [
        `--kubeconfig=${kubeconfig}`,
        '--manage-all-nodes=false', '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
        '--cidr=10.244.0.1/16', '--node-ip=10.250.0.1',
      ], { HOME: kwokHome });
      const count = opts.nodes ?? 1;
      for (let i = 0; i < count; i++) {
        const name = `kwok-node-${i}`;
        const res = await request('POST', '/api/v1/nodes', fakeNode(name));
        if (res.status !== 201) throw new Error(`creating node ${name}: ${res.status} ${JSON.stringify(res.body)}`);
        nodes.push(name);
      }
      for (const name of nodes) {
        await waitFor(kwok, `node ${name} Ready`, async () => {
          const r = await request('GET', `/api/v1/nodes/${name}`);
          return r.status === 200 && (r.body.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
        });
      }
    }

    if (fakeProvisioner) {
      let busy = false;
      const tick = async () => {
        if (busy || stopped) return;
        busy = true;
        try { await provisionPending(request); } catch { /* next tick */ } finally { busy = false; }
      };
      provisionerTimer = setInterval(tick, 1000);
      provisionerTimer.unref();
    }

    const kubectl = (args: string[], o: { input?: string; timeoutMs?: number } = {}) => new Promise<KubectlResult>((resolve) => {
      const child = spawn('kubectl', ['--kubeconfig', kubeconfig, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '', stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
      child.on('error', (e) => { clearTimeout(timer); resolve({ code: 127, stdout, stderr: stderr + String(e) }); });
      child.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? 1, stdout, stderr }); });
      child.stdin.end(o.input ?? '');
    });

    return {
      kubeconfig, server, binDir, dir,
      hasControllerManager: runKcm, hasScheduler: runScheduler, hasKwok: runKwok, nodes,
      request, kubectl,
      logTail: (c, lines) => tail(join(logs, `${c}.log`), lines),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

function fakeNode(name: string): object {
  const resources = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { type: 'kwok', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/role': 'agent' },
    },
    spec: {},
    status: { allocatable: resources, capacity: resources, nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: 'fake' } },
  };
}

/** Pre-binds a hostPath PV to each Pending PVC that has none (what a storage provisioner would do). */
async function provisionPending(request: ControlPlane['request']): Promise<void> {
  const pvcs = await request('GET', '/api/v1/persistentvolumeclaims');
  if (pvcs.status !== 200) return;
  for (const pvc of pvcs.body.items ?? []) {
    if (pvc.spec?.volumeName || pvc.status?.phase !== 'Pending') continue;
    const ns = pvc.metadata.namespace, name = pvc.metadata.name;
    const pvName = `fake-pv-${pvc.metadata.uid}`;
    const pv = {
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name: pvName, labels: { 'devenv.test/fake-provisioner': 'true' } },
      spec: {
        capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '1Gi' },
        accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
        storageClassName: pvc.spec?.storageClassName ?? '',
        volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
        persistentVolumeReclaimPolicy: 'Retain',
        hostPath: { path: `/tmp/devenv-fake-pv/${ns}/${name}` },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name, uid: pvc.metadata.uid },
      },
    };
    await request('POST', '/api/v1/persistentvolumes', pv); // 409 when a previous tick made it
  }
}
