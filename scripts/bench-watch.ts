// `npm run bench -- --watch` (also part of the default run): the inner loop of
// `devenv up --watch` on a copy of the project (compose project and kind
// cluster devenv-x, ports 38080/33101/33001/33002/36379, so it runs beside a
// real environment). Per environment: the fast path (a source edit, median
// of 3) and the full path (a Dockerfile edit), each the time from the file
// write to the webserver answering with the new build id, as devenv prints
// it, against the goals of issue 12 (fast < 3 s Compose / < 10 s kind, full
// < 10 s Compose / < 30 s kind).
import { execa } from 'execa';
import { runCli } from '../test/helpers/cli.ts';
import { copyProject, startWatch } from '../test/watch/watch-project.ts';

const DEVENV_YAML = 'clusterName: devenv-x\ncompose: { project: devenv-x }\nports: { api: 38080, webserverP2p: 33101, miner1P2p: 33001, miner2P2p: 33002, redis: 36379 }\n';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(label: string, k8s: boolean, goals: { fast: number; full: number }, results: Array<[string, string]>): Promise<void> {
  const copy = copyProject(DEVENV_YAML);
  const clusterExisted = k8s && (await execa(process.env.KIND ?? 'kind', ['get', 'clusters'], { reject: false })).stdout.split('\n').includes('devenv-x');
  const flags = k8s ? ['--k8s', '--timeout', '600'] : ['--timeout', '300'];
  const run = startWatch(copy, flags, { ...process.env, CI: 'true' });
  try {
    await run.waitFor(/^Watching .*\(build [0-9a-f]{12}\)/, 20 * 60_000);
    const answered = async (from: number) => {
      const line = await run.waitFor(/answering [\d.]+ s after the write|did not start|keeps running/, 5 * 60_000, from);
      const m = /answering ([\d.]+) s after the write(?: \((.*)\))?/.exec(line);
      if (!m) throw new Error(`${label}: ${line}`);
      return { s: Number(m[1]), detail: m[2] ?? '' };
    };
    const fast: Array<{ s: number; detail: string }> = [];
    for (let i = 1; i <= 3; i++) {
      const from = run.lines.length;
      copy.edit('images/blockchain-node/src/http/routes.ts', i === 1 ? "data: { status: 'live' }" : `data: { status: 'live-${i - 1}' }`, `data: { status: 'live-${i}' }`);
      fast.push(await answered(from));
      await new Promise((r) => setTimeout(r, 1000));
    }
    const from = run.lines.length;
    copy.edit('images/blockchain-node/Dockerfile', 'WORKDIR /app', `LABEL io.devenv.bench="${Date.now()}"\nWORKDIR /app`);
    const full = await answered(from);
    const f = median(fast.map((x) => x.s));
    results.push([`up --watch ${label}: fast path, write -> new build answers (median of 3)`, `${f.toFixed(2)} s (goal < ${goals.fast} s: ${f < goals.fast ? 'met' : 'NOT met'}; runs ${fast.map((x) => x.s.toFixed(2)).join(', ')})`]);
    results.push([`up --watch ${label}: fast path, where the time went (median run)`, fast.find((x) => x.s === f)?.detail ?? '']);
    results.push([`up --watch ${label}: full path (Dockerfile edit)`, `${full.s.toFixed(2)} s (goal < ${goals.full} s: ${full.s < goals.full ? 'met' : 'NOT met'}; ${full.detail})`]);
  } catch (err) {
    results.push([`up --watch ${label}`, `not measured: ${(err as Error).message.split('\n')[0]}`]);
  } finally {
    run.child.kill('SIGINT');
    await run.child;
    // A kind cluster the bench found is left in place; one it created is deleted.
    await runCli(['--config', copy.config, 'down', '--volumes', ...(k8s ? ['--k8s', ...(clusterExisted ? [] : ['--cluster'])] : [])], { cwd: copy.dir, timeoutMs: 5 * 60_000, env: process.env });
    copy.remove();
  }
}

export async function watchTimes(results: Array<[string, string]>, opts: { k8s: boolean }): Promise<void> {
  await measure('Compose', false, { fast: 3, full: 10 }, results);
  if (!opts.k8s) return;
  if (!process.env.DEVENV_KIND_NODE_IMAGE && (await execa('docker', ['image', 'inspect', 'kindest/node'], { reject: false })).exitCode !== 0) {
    results.push(['up --watch kind', 'not measured: no kind node image (eval "$(scripts/kind-node-image.sh)")']);
    return;
  }
  await measure('kind', true, { fast: 10, full: 30 }, results);
}
