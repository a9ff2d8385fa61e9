// The --k8s commands as a user runs them (bin/devenv.js, built by npm test):
// the dry-run plans of up and down, and the missing-prerequisite paths with
// the real programs absent from PATH and DOCKER_HOST pointing at a dead
// socket (exit 3, the fix, and nothing created).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { DockerClient } from '../../cli/adapters/docker.ts';
import { Plan } from '../../cli/plan.ts';
import { Redactor } from '../../cli/redact.ts';
import { runCli } from '../helpers/cli.ts';
import { skipIf } from '../helpers/skip.ts';
import { repoRoot } from './helpers.ts';

const which = (cmd: string) => {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
};

/** A working directory with only manifests/ (so nothing devenv might write lands in the repository). */
function scratch(): { dir: string; bin: string; home: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-cli-k8s-'));
  cpSync(join(repoRoot, 'manifests'), join(dir, 'manifests'), { recursive: true, filter: (s) => !s.endsWith('secrets.env') });
  const bin = join(dir, '.bin');
  const home = join(dir, '.home');
  mkdirSync(bin);
  mkdirSync(home);
  return { dir, bin, home, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Nothing kind could fetch, no cache, no kubeconfig of the machine's user. */
const isolated = (s: { bin: string; home: string }) => ({ PATH: s.bin, HOME: s.home, DEVENV_CACHE_DIR: join(s.home, 'cache'), DEVENV_KIND_DOWNLOAD_BASE: 'http://127.0.0.1:9', DEVENV_KIND_DOWNLOAD_TIMEOUT_MS: '5000', KUBECONFIG: join(s.home, 'kubeconfig') });

function planLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /^\s*\d+\. /.test(l)).map((l) => l.replace(/^\s*\d+\. /, ''));
}

function inOrder(lines: string[], patterns: RegExp[]): void {
  let at = -1;
  for (const p of patterns) {
    const i = lines.findIndex((l, j) => j > at && p.test(l));
    assert.ok(i > at, `expected ${p} after line ${at + 1} in:\n${lines.join('\n')}`);
    at = i;
  }
}

test('devenv up --k8s --dry-run: the ordered plan, and nothing written', async () => {
  const res = await runCli(['up', '--k8s', '--dry-run']);
  assert.is(res.exitCode, 0, res.stderr);
  const lines = planLines(res.stdout);
  const root = repoRoot.replace(/\/$/, '');
  inOrder(lines, [
    /^kubectl version --client -o json$/,
    /^kind get clusters$/,
    /^kubectl kustomize .*manifests/,
    /^docker-api POST \/build .*"tags":\["blockchain-node:[0-9a-f]{12}"\]/,
    /^write \.devenv\/kind-devenv\.yaml/,
    new RegExp(`^kind create cluster --name devenv --config ${root}/\\.devenv/kind-devenv\\.yaml --wait 120s$`),
    /^kubectl --context kind-devenv apply --server-side --field-manager=devenv --force-conflicts -f - <<stdin {2}# metrics-server \(Metrics API for the HPAs\), image registry\.k8s\.io\/metrics-server\/metrics-server:v0\.8\.0$/,
    // One apply, every phase in dependency order.
    /^kubectl --context kind-devenv apply --server-side --field-manager=devenv --force-conflicts -f - --show-managed-fields -o json <<stdin {2}# Namespace\/blockchain, ConfigMap\/blockchain-config, ConfigMap\/rate-limit-settings, Secret\/blockchain-secrets, Service\/redis, Deployment\/redis, .*StatefulSet\/miner.*StatefulSet\/webserver, HorizontalPodAutoscaler\/webserver-hpa, HorizontalPodAutoscaler\/miner-hpa, PodDisruptionBudget/,
    /^kubectl --context kind-devenv rollout status deployment\/redis -n blockchain --timeout=180s$/,
    /^kubectl --context kind-devenv rollout status statefulset\/miner -n blockchain --timeout=180s$/,
    /^kubectl --context kind-devenv rollout status statefulset\/webserver -n blockchain --timeout=180s$/,
    /^wait the Metrics API answers `kubectl top nodes` \(timeout 180s\)$/,
    /^wait GET http:\/\/127\.0\.0\.1:8080\/api\/v1\/blockchain answers with height > 0 \(timeout 180s\)$/,
  ]);
  const tag = /blockchain-node:[0-9a-f]{12}/.exec(lines.join('\n'))![0];
  assert.ok(lines.includes(`kind load docker-image ${tag} --name devenv`), 'the built tag is what gets loaded');
  assert.ok(lines.includes('wait the Metrics API answers `kubectl top nodes` (timeout 180s)'));
  assert.match(res.stdout, /\| {3}- role: control-plane\n\s+\| {5}extraPortMappings:\n\s+\| {7}- containerPort: 30080\n\s+\| {9}hostPort: 8080\n\s+\| {9}listenAddress: 127\.0\.0\.1/);
});

test('devenv down --k8s --dry-run: keeps the namespace and PVCs; --volumes deletes the namespace; --cluster the cluster', async () => {
  const s = scratch();
  try {
    const K = 'kubectl --context kind-devenv';
    const run = async (extra: string[]) => {
      const res = await runCli(['down', '--k8s', ...extra, '--dry-run'], { cwd: s.dir });
      assert.is(res.exitCode, 0, res.stderr);
      return planLines(res.stdout);
    };
    const keep = await run([]);
    assert.equal(keep.slice(0, 2), ['kubectl version --client -o json', 'kind get clusters']);
    assert.match(keep[2], new RegExp(`^kubectl kustomize ${s.dir}/manifests`));
    assert.match(keep[3], new RegExp(`^${K} delete -n blockchain horizontalpodautoscaler\\.autoscaling/webserver-hpa .*statefulset\\.apps/miner .*deployment\\.apps/redis .*secret/blockchain-secrets --ignore-not-found=true --cascade=foreground --wait=true --timeout=300s$`));
    assert.is(keep[3].split(' ').filter((w) => w.includes('/')).length, 15, 'the 15 rendered objects but the Namespace');
    assert.equal(keep.slice(4), [`${K} get persistentvolumeclaims -n blockchain -o json`]);
    assert.not.ok(keep.some((l) => l.includes('delete namespace') || /persistentvolumeclaim\//.test(l) || l.includes('delete cluster')), 'no data deleted without --volumes');
    const volumes = await run(['--volumes']);
    assert.equal(volumes.slice(-2), [`${K} get persistentvolumeclaims -n blockchain -o json`, `${K} delete namespace blockchain --ignore-not-found=true --wait=true --timeout=300s`]);
    assert.not.ok(volumes.some((l) => l.includes('kustomize') || l.includes('delete -n')));
    for (const all of [await run(['--cluster']), await run(['--cluster', '--volumes'])]) {
      assert.equal(all.slice(-1), ['kind delete cluster --name devenv']);
      assert.not.ok(all.some((l) => l.includes('delete namespace') || l.includes('delete -n')), 'the namespace and its PVCs go with the cluster');
    }
    assert.equal(readdirSync(s.dir).sort(), ['.bin', '.home', 'manifests'], 'nothing written');
  } finally {
    s.cleanup();
  }
});

test('no kind, no kubectl, no Docker daemon: exit 3 naming each with its fix; nothing created', async () => {
  const s = scratch();
  try {
    if (which('docker')) symlinkSync(which('docker')!, join(s.bin, 'docker'));
    const res = await runCli(['up', '--k8s'], { cwd: s.dir, env: { ...isolated(s), DOCKER_HOST: `unix://${join(s.home, 'dead.sock')}` } });
    assert.is(res.exitCode, 3, res.stderr + res.stdout);
    assert.match(res.stderr, /nothing was created/);
    assert.match(res.stderr, /Docker daemon is not reachable at unix:\/\/.*dead\.sock/);
    assert.match(res.stderr, /kind/);
    assert.match(res.stderr, /`kubectl` was not found on PATH/);
    assert.match(res.stderr, /Fix: .*start Docker.*install kubectl/s);
    assert.equal(readdirSync(s.dir).sort(), ['.bin', '.home', 'manifests'], 'no .devenv, no kind config');
    assert.not.ok(existsSync(join(s.dir, 'manifests/secrets.env')), 'no keys written');
  } finally {
    s.cleanup();
  }
});

/** Whether devenv reaches a Docker daemon here: the same ping `up --k8s` makes (DOCKER_HOST, or /var/run/docker.sock). */
async function daemonAnswers(): Promise<boolean> {
  const redactor = new Redactor();
  try {
    await new DockerClient(process.env, new Plan(redactor), redactor, false).ping(5000);
    return true;
  } catch {
    return false;
  }
}
const kindAloneMissing = skipIf(
  !(which('kubectl') && which('docker')) ? 'needs kubectl and docker on PATH' : !(await daemonAnswers()) ? 'no Docker daemon here' : false,
);
kindAloneMissing('kind alone missing (kubectl and a live Docker present): exit 3 about kind only', async () => {
  const s = scratch();
  try {
    symlinkSync(which('kubectl')!, join(s.bin, 'kubectl'));
    symlinkSync(which('docker')!, join(s.bin, 'docker'));
    const res = await runCli(['up', '--k8s'], { cwd: s.dir, env: isolated(s) });
    assert.is(res.exitCode, 3, res.stderr + res.stdout);
    const error = res.stderr.split('\n').find((l) => l.startsWith('error: ')) ?? '';
    assert.match(error, /nothing was created\. kind: /);
    assert.not.match(error, /kubectl|Docker/, 'only what is missing is reported');
    assert.match(error, /Fix: install kind v\d+\.\d+\.\d+/);
    assert.equal(readdirSync(s.dir).sort(), ['.bin', '.home', 'manifests']);
  } finally {
    s.cleanup();
  }
});

skipIf(which('kubectl') ? false : 'kubectl is not on PATH')('status --k8s without a cluster: a clear error, not a stack', async () => {
  const s = scratch();
  try {
    symlinkSync(which('kubectl')!, join(s.bin, 'kubectl'));
    const res = await runCli(['status', '--k8s'], { cwd: s.dir, env: isolated(s) });
    assert.is(res.exitCode, 1, res.stderr);
    assert.match(res.stderr, /cannot read pods from kind cluster devenv .*context "kind-devenv" does not exist/);
    assert.match(res.stderr, /devenv up --k8s/);
  } finally {
    s.cleanup();
  }
});

test('--k8s and --compose are exclusive', async () => {
  const res = await runCli(['up', '--k8s', '--compose', '--dry-run']);
  assert.is(res.exitCode, 2);
  assert.match(res.stderr, /mutually exclusive|conflict/i);
});

test.run();
