// npm run bench: timings measured in one run, reported as numbers and ratios
// (never asserted in tests). Needs a Docker daemon; run it on a quiet machine.
//   1. CLI start-up: `devenv --help`, `devenv doctor|validate|up --help` vs
//      `node -e 0` (median of N runs, interleaved)
//   2. `devenv up` cold (image and volumes removed first) and warm (nothing changed)
//   3. raw Compose on the same file: `docker compose up -d --wait` with nothing to do
//      (v1: `docker-compose up -d` + health polling), and devenv warm / raw ratio
//   4. migrate-check on this project (and where its time goes), and on 32- and
//      200-service pairs (scripts/generate-large-topology.ts)
//   5. with a kind node image (DEVENV_KIND_NODE_IMAGE) and kind: `devenv up --k8s`
//      cold (no cluster) and warm, `kind load` time against image size, and the
//      warm `up --k8s` against raw `kubectl apply --server-side` + `rollout
//      status` of the same rendered objects
//   6. `devenv validate` on this project against `kubectl kustomize manifests/` alone
//      (interleaved), and where validate's time goes (DEVENV_TIMINGS=1, cli/timing.ts)
//   7. `devenv up --watch` (scripts/bench-watch.ts): fast and full path, Compose and kind
// `npm run bench -- --checkers` measures only 4 and 6 (no Docker, no cluster);
// `npm run bench -- --watch` only 7;
// `npm run bench -- --startup` only 1; `-- --compose` only 2 and 3; `-- --k8s` only 5.
// `--config FILE`: the devenv.yaml every devenv run (and the raw Compose and
// kubectl runs) uses: its Compose project, host ports, kind cluster,
// namespace and image name (the cold run removes only images of that name).
// Default: ./devenv.yaml when present, else devenv's defaults.
import { execa } from 'execa';
import { ensureKindDockerShim, kindShimEnv } from '../cli/adapters/kind-docker-shim.ts';
import { devenvCacheDir } from './kind.mjs';
import { restoreKindHost, snapshotKindHost } from '../test/helpers/kind-host.ts';
import { createAppContext } from '../cli/context.ts';
import { composeProject } from '../cli/compose/compose-project.ts';
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = `${root}bin/devenv.js`;
const env = { ...process.env, CI: 'true' };
const results: Array<[string, string]> = [];
const configIndex = process.argv.indexOf('--config');
const configFile = configIndex > 0 ? process.argv[configIndex + 1] : undefined;
if (configIndex > 0 && (!configFile || !existsSync(resolve(configFile)))) throw new Error(`--config needs an existing devenv.yaml, not ${configFile ?? 'nothing'}`);
/** The arguments every devenv run gets: --config when given. */
const cfgArgs = configFile ? ['--config', resolve(configFile)] : [];
// The same config devenv reads (and the same environment overrides).
const app = createAppContext({ dryRun: false, json: true, verbose: false, config: configFile ? resolve(configFile) : undefined }, { cwd: root, env, isTTY: false });
const devenv = (...args: string[]) => [bin, ...cfgArgs, ...args];

async function time(label: string, cmd: string, args: string[], opts: { allowFail?: boolean } = {}): Promise<number> {
  const t0 = performance.now();
  const r = await execa(cmd, args, { cwd: root, env, reject: false, timeout: 15 * 60_000 });
  const ms = performance.now() - t0;
  if (r.exitCode !== 0 && !opts.allowFail) throw new Error(`${label}: ${cmd} ${args.join(' ')} exited ${r.exitCode}\n${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function startup(n = 10) {
  // Issue 12: `devenv --help` and every command's start at most 2x `node -e 0`.
  // The runs interleave so a busy moment costs every command alike.
  const commands: Array<[string, string[]]> = [
    ['devenv --help', ['--help']],
    ['devenv doctor --help', ['doctor', '--help']],
    ['devenv validate --help', ['validate', '--help']],
    ['devenv up --help', ['up', '--help']],
  ];
  const node: number[] = [];
  const runs = commands.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    node.push(await time('node -e 0', process.execPath, ['-e', '0']));
    for (const [j, [label, args]] of commands.entries()) runs[j].push(await time(label, process.execPath, [bin, ...args]));
  }
  results.push([`node -e 0 (median of ${n})`, `${median(node).toFixed(0)} ms`]);
  for (const [j, [label]] of commands.entries()) {
    results.push([`${label} (median of ${n})`, `${median(runs[j]).toFixed(0)} ms`]);
    results.push([`start-up ratio ${label} / node -e 0`, (median(runs[j]) / median(node)).toFixed(2)]);
  }
}

async function composeFlavor(): Promise<'v2' | 'v1'> {
  const r = await execa('docker', ['compose', 'version'], { reject: false });
  return r.exitCode === 0 ? 'v2' : 'v1';
}

async function upTimes() {
  const status = async () => JSON.parse((await execa(process.execPath, devenv('status', '--json'), { cwd: root, env })).stdout);
  await time('down --volumes', process.execPath, devenv('down', '--volumes'), { allowFail: true });
  // Cold: remove devenv's node images (of the configured name) so the build really runs.
  const imgs = await execa('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}', app.config.image.name], { reject: false });
  for (const ref of imgs.stdout.split('\n').filter(Boolean)) await execa('docker', ['rmi', '-f', ref], { reject: false });
  const cold = await time('devenv up (cold)', process.execPath, devenv('up'));
  results.push(['devenv up, cold (build + create + healthy + smoke)', fmt(cold)]);

  const services = (await status()).services;
  const image = services.find((s: any) => s.service === 'miner_1')?.image;
  const flavor = await composeFlavor();
  // The project, file and environment (images, host ports) devenv's own run used.
  const project = composeProject(app, image);
  const composeEnv = { ...env, ...project.env };
  const rawUp = async () => {
    const t0 = performance.now();
    if (flavor === 'v2') await execa('docker', ['compose', '-p', project.name, '-f', project.file, 'up', '-d', '--wait', '--no-build'], { cwd: root, env: composeEnv });
    else await execa('docker-compose', ['-p', project.name, '-f', resolve(project.file, '..', '.devenv-v1.docker-compose.yml'), 'up', '-d', '--no-build'], { cwd: root, env: composeEnv });
    return performance.now() - t0;
  };
  // Warm devenv and raw Compose interleaved, so a busy moment costs both alike.
  const n = 9;
  const warm: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < n; i++) {
    warm.push(await time('devenv up (warm)', process.execPath, devenv('up')));
    raw.push(await rawUp());
  }
  results.push([`devenv up, warm (nothing changed; median of ${n})`, `${fmt(median(warm))} (runs: ${warm.map((x) => (x / 1000).toFixed(2)).join(', ')})`]);
  results.push([`${flavor === 'v2' ? 'docker compose up -d --wait' : 'docker-compose (v1) up -d'}, no-op (median of ${n})`, `${fmt(median(raw))} (runs: ${raw.map((x) => (x / 1000).toFixed(2)).join(', ')})`]);
  results.push(['ratio devenv warm up / raw compose no-op up (medians)', (median(warm) / median(raw)).toFixed(2)]);
}

async function migrateCheck() {
  if (!existsSync(`${root}cli/topology`)) return;
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) runs.push(await time('migrate-check', process.execPath, devenv('migrate-check', '--json'), { allowFail: true }));
  results.push(['migrate-check on this project (median of 5)', `${median(runs).toFixed(0)} ms`]);
  const breakdown: Timings[] = [];
  for (let i = 0; i < 5; i++) breakdown.push((await timedRun(['migrate-check', '--json'])).t);
  pushPhases('migrate-check', breakdown);
  try {
    const mod = await import('./generate-large-topology.ts');
    // 8 copies: a 32-service pair (the "30 services"); 50 copies: 200 services, for linearity.
    for (const [factor, n] of [[8, 5], [50, 3]] as const) {
      const { dir, composeFile, manifestsDir, services } = await mod.generateLargeTopology(factor);
      try {
        const big: number[] = [];
        for (let i = 0; i < n; i++) big.push(await time(`migrate-check ${factor}x`, process.execPath, devenv('migrate-check', '--json', '--compose', composeFile, '--manifests', manifestsDir), { allowFail: true }));
        results.push([`migrate-check on ${services} services (median of ${n})`, `${median(big).toFixed(0)} ms`]);
        results.push([`ratio ${services} services / project`, (median(big) / median(runs)).toFixed(2)]);
        // The part of it that is kubectl's own rendering of that pair.
        const k: number[] = [];
        for (let i = 0; i < n; i++) k.push(await time(`kubectl kustomize ${factor}x`, 'kubectl', ['kustomize', manifestsDir], { allowFail: true }));
        results.push([`  of which kubectl kustomize on its manifests alone (median of ${n})`, `${median(k).toFixed(0)} ms`]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const node: number[] = [];
    for (let i = 0; i < 5; i++) node.push(await time('node -e 0', process.execPath, ['-e', '0']));
    results.push(['node -e 0 (median of 5), the floor of any CLI run', `${median(node).toFixed(0)} ms`]);
  } catch (err) {
    results.push(['migrate-check 50x', `not measured: ${(err as Error).message.split('\n')[0]}`]);
  }
}

async function k8sTimes() {
  const image = process.env.DEVENV_KIND_NODE_IMAGE;
  const kind = process.env.KIND || 'kind';
  if (!image || (await execa('docker', ['image', 'inspect', image], { reject: false })).exitCode !== 0 || (await execa(kind, ['version'], { reject: false })).exitCode !== 0) {
    results.push(['devenv up --k8s', 'not measured: no kind node image or kind (eval "$(scripts/kind-node-image.sh)")']);
    return;
  }
  // kind load through the same docker shim devenv uses on hosts that cannot
  // start privileged containers (the same probe: a --privileged container).
  const privileged = await execa('docker', ['run', '--rm', '--privileged', '--network', 'none', '--entrypoint', 'true', image], { reject: false });
  const kindEnv = privileged.exitCode === 0 ? {} : kindShimEnv(ensureKindDockerShim(devenvCacheDir(env)), env);
  const { clusterName: cluster, namespace } = app.config;
  const host = await snapshotKindHost();
  try {
    // Compose holds the same host ports; the kind cluster is created from nothing.
    await time('down', process.execPath, devenv('down'), { allowFail: true });
    await time('down --k8s --cluster', process.execPath, devenv('down', '--k8s', '--cluster', '--volumes'), { allowFail: true });
    const cold = await time('devenv up --k8s (cold)', process.execPath, devenv('up', '--k8s'));
    results.push(['devenv up --k8s, cold (cluster, metrics-server, loads, rollouts, smoke)', fmt(cold)]);

    // kind load against image size: images the node does not have (their
    // layers are new to it), each under a fresh tag.
    const k = (args: string[], input?: string) => execa('kubectl', ['--context', `kind-${cluster}`, ...args], { cwd: root, env, input, timeout: 10 * 60_000 });
    for (const ref of [process.env.NODE_IMAGE || 'node:20-bookworm-slim', 'devenv-offline/kind-node-rootfs:bookworm']) {
      if ((await execa('docker', ['image', 'inspect', ref], { reject: false })).exitCode !== 0) continue;
      const tag = `devenv-bench/load:${Date.now()}`;
      await execa('docker', ['tag', ref, tag]);
      const bytes = Number((await execa('docker', ['image', 'inspect', '--format', '{{.Size}}', ref])).stdout);
      const t0 = performance.now();
      await execa(kind, ['load', 'docker-image', tag, '--name', cluster], { env: { ...env, ...kindEnv }, timeout: 10 * 60_000 });
      const ms = performance.now() - t0;
      await execa('docker', ['rmi', tag], { reject: false });
      results.push([`kind load docker-image, ${ref} (${(bytes / 1e6).toFixed(0)} MB)`, `${fmt(ms)} (${((bytes / 1e6) / (ms / 1000)).toFixed(0)} MB/s)`]);
    }

    // Raw: the same objects devenv applied (read back, server-set fields
    // dropped), server-side applied as a user would by hand (kubectl's own
    // field manager: the same values are then owned by both, and devenv's
    // record of its apply stays true), then the rollouts.
    const kinds = 'namespaces,configmaps,secrets,services,deployments,statefulsets,horizontalpodautoscalers,poddisruptionbudgets';
    const live = JSON.parse((await k(['get', kinds, '-n', namespace, '-l', 'app.kubernetes.io/part-of=devenv', '-o', 'json'])).stdout).items as any[];
    const ns = JSON.parse((await k(['get', 'namespace', namespace, '-o', 'json'])).stdout);
    const objects = [ns, ...live].map((o) => {
      const { status: _s, ...rest } = o;
      const m = { ...rest.metadata };
      for (const f of ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation']) delete m[f];
      return { ...rest, metadata: m };
    });
    const rawApply = async () => {
      const t0 = performance.now();
      await k(['apply', '--server-side', '--force-conflicts', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
      for (const w of ['deployment/redis', 'statefulset/miner', 'statefulset/webserver']) await k(['rollout', 'status', w, '-n', namespace, '--timeout=300s']);
      return performance.now() - t0;
    };
    // Warm devenv and raw kubectl interleaved, so a busy moment costs both alike.
    const n = 7;
    const warm: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < n; i++) {
      warm.push(await time('devenv up --k8s (warm)', process.execPath, devenv('up', '--k8s')));
      raw.push(await rawApply());
    }
    const runs = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(', ');
    results.push([`devenv up --k8s, warm (nothing changed; median of ${n})`, `${fmt(median(warm))} (runs: ${runs(warm)})`]);
    results.push([`kubectl apply --server-side + rollout status, no-op (median of ${n})`, `${fmt(median(raw))} (runs: ${runs(raw)})`]);
    results.push(['ratio devenv up --k8s warm / raw kubectl (medians)', (median(warm) / median(raw)).toFixed(2)]);
  } finally {
    await time('down --k8s --cluster', process.execPath, devenv('down', '--k8s', '--cluster', '--volumes'), { allowFail: true });
    await restoreKindHost(host);
  }
}

interface Timings {
  entries: Array<{ name: string; start: number; duration: number }>;
  now: number;
  cpu: number;
}

/** One CLI run with DEVENV_TIMINGS=1: its wall time and the marks and spans it recorded (cli/timing.ts). */
async function timedRun(args: string[]): Promise<{ ms: number; t: Timings }> {
  const t0 = performance.now();
  const r = await execa(process.execPath, devenv(...args), { cwd: root, env: { ...env, DEVENV_TIMINGS: '1' }, reject: false });
  const ms = performance.now() - t0;
  const line = r.stderr.split('\n').find((l) => l.startsWith('devenv-timings '));
  if (!line) throw new Error(`devenv ${args.join(' ')}: no timings (exit ${r.exitCode})\n${r.stderr}`);
  return { ms, t: JSON.parse(line.slice('devenv-timings '.length)) };
}

/**
 * Where one run's time went, in the order it is spent: the process and the
 * CLI bundle, the command's modules, reading up to the first `kubectl
 * kustomize`, kubectl (wall; parsing and schema loading run meanwhile), and
 * what comes after it; plus the totals of YAML parsing, schema module loading
 * and rules wherever they ran.
 */
function phases(t: Timings): Array<[string, number]> {
  const at = (n: string) => t.entries.find((e) => e.name === n)?.start ?? NaN;
  const all = (n: string) => t.entries.filter((e) => e.name === n);
  const sum = (n: string) => all(n).reduce((a, e) => a + e.duration, 0);
  const runs = all('run kubectl');
  const kStart = runs.length ? Math.min(...runs.map((e) => e.start)) : at('report');
  const kEnd = runs.length ? Math.max(...runs.map((e) => e.start + e.duration)) : at('report');
  return [
    ['node start + CLI bundle (to main)', at('main')],
    ['yargs + command module', at('command') - at('main')],
    ['app context + command modules', at('modules') - at('command')],
    ['reading up to kubectl kustomize', kStart - at('modules')],
    ['kubectl kustomize (wall, all targets)', kEnd - kStart],
    ['after kubectl: trace back, rules, report', at('report') - kEnd],
    ['print + exit', t.now - at('report')],
    ['  YAML parsing (total)', sum('parse')],
    ['  YAML parsing while kubectl ran', all('parse').filter((e) => e.start >= kStart && e.start < kEnd).reduce((a, e) => a + e.duration, 0)],
    ['  schema modules (total)', sum('schemas')],
    ['  rules (total)', sum('rules')],
    ['  CPU time of the devenv process (user + system)', t.cpu],
  ];
}

function pushPhases(label: string, runs: Timings[]) {
  const table = runs.map(phases);
  for (const [i, [name]] of table[0].entries()) results.push([`${label}: ${name} (median)`, `${median(table.map((row) => row[i][1])).toFixed(0)} ms`]);
}

async function validate() {
  const kubectl = (await execa('kubectl', ['version', '--client'], { reject: false })).exitCode === 0;
  // kubectl renders what validate renders: with manifests/secrets.env absent (a fresh
  // checkout) validate fills it from its .example in a copy, and so does this.
  let dir = `${root}manifests`;
  let tmp: string | undefined;
  if (!existsSync(`${dir}/secrets.env`)) {
    tmp = mkdtempSync(join(tmpdir(), 'devenv-bench-'));
    cpSync(dir, `${tmp}/manifests`, { recursive: true });
    copyFileSync(`${dir}/secrets.env.example`, `${tmp}/manifests/secrets.env`);
    dir = `${tmp}/manifests`;
  }
  try {
    // Interleaved, so a busy moment costs all alike. Cold: --no-cache (render
    // and check every time); cached: the same tree again, answered from the
    // cache (cli/k8s/validate-cache.ts) after the first run filled it.
    const runs: number[] = [];
    const cached: number[] = [];
    const k: number[] = [];
    const node: number[] = [];
    const breakdown: Timings[] = [];
    await timedRun(['validate', '--json']);
    for (let i = 0; i < 7; i++) {
      const r = await timedRun(['validate', '--json', '--no-cache']);
      runs.push(r.ms);
      breakdown.push(r.t);
      cached.push((await timedRun(['validate', '--json'])).ms);
      if (kubectl) k.push(await time('kubectl kustomize', 'kubectl', ['kustomize', dir]));
      node.push(await time('node -e 0', process.execPath, ['-e', '0']));
    }
    results.push(['devenv validate --no-cache on this project (median of 7)', `${median(runs).toFixed(0)} ms`]);
    results.push(['devenv validate, unchanged tree (cached; median of 7)', `${median(cached).toFixed(0)} ms`]);
    if (!kubectl) return results.push(['kubectl kustomize manifests/', 'not measured: no kubectl']);
    results.push([`kubectl kustomize manifests/${tmp ? ' (a copy with secrets.env from its example)' : ''} (median of 7)`, `${median(k).toFixed(0)} ms`]);
    results.push(['ratio validate --no-cache / kubectl kustomize', (median(runs) / median(k)).toFixed(2)]);
    results.push(['ratio validate (unchanged tree, cached) / kubectl kustomize', (median(cached) / median(k)).toFixed(2)]);
    results.push(['node -e 0 (median of 7, same runs)', `${median(node).toFixed(0)} ms`]);
    results.push(['floor: node -e 0 + kubectl kustomize, as a ratio to kubectl kustomize', ((median(node) + median(k)) / median(k)).toFixed(2)]);
    pushPhases('validate', breakdown);
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

const checkersOnly = process.argv.includes('--checkers');
if (process.argv.includes('--watch')) {
  const { watchTimes } = await import('./bench-watch.ts');
  await watchTimes(results, { k8s: true });
  const w = Math.max(...results.map(([k]) => k.length));
  for (const [k, v] of results) console.log(`${k.padEnd(w)}  ${v}`);
  process.exit(0);
}
// `npm run bench -- --k8s`: only the kind measurements; `-- --compose`: only 2 and 3.
if (process.argv.includes('--k8s') || process.argv.includes('--compose')) {
  if (process.argv.includes('--compose')) await upTimes();
  if (process.argv.includes('--k8s')) await k8sTimes();
  const w = Math.max(...results.map(([k]) => k.length));
  for (const [k, v] of results) console.log(`${k.padEnd(w)}  ${v}`);
  process.exit(0);
}
const startupOnly = process.argv.includes('--startup');
if (!checkersOnly) await startup();
if (!startupOnly) {
  await migrateCheck();
  await validate();
}
if (checkersOnly || startupOnly) results.push(['devenv up', `not measured: ${checkersOnly ? '--checkers' : '--startup'}`]);
else if ((await execa('docker', ['info'], { reject: false })).exitCode === 0) {
  await upTimes();
  await k8sTimes();
  await (await import('./bench-watch.ts')).watchTimes(results, { k8s: true });
} else results.push(['devenv up', 'not measured: no Docker daemon']);
const w = Math.max(...results.map(([k]) => k.length));
for (const [k, v] of results) console.log(`${k.padEnd(w)}  ${v}`);
