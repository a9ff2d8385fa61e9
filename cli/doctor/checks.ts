// devenv doctor: every prerequisite of both environments, each with a verdict
// and a fix. A check's verdict depends on the chosen mode: a tool only the
// other mode needs is a warning, not a failure.
import { statfsSync } from 'node:fs';
import type { AppContext } from '../context.ts';
import { DockerClient } from '../adapters/docker.ts';
import { COMPOSE_MISSING_HINT, detectCompose } from '../adapters/compose.ts';
import { describeHolder } from '../adapters/ports.ts';
import { checkHostPorts, isBlocked, portsNeeded, projectHostPorts, type Mode } from '../adapters/host-ports.ts';
import { DevenvError } from '../errors.ts';
import { describeKindBinary } from '../adapters/kind-binary.ts';
import { PRIVILEGED_BLOCKED_SENTENCE, probePrivilegedContainers } from '../adapters/kind-docker-shim.ts';
import { describeKindNodeImage, kindNodeImage } from '../k8s/kind-node-image.ts';
import { Kubectl } from '../adapters/kubectl.ts';

export type CheckVerdict = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  id: string;
  title: string;
  verdict: CheckVerdict;
  detail: string;
  fix?: string;
  /** The modes that cannot work without this check passing. */
  requiredFor: Mode[];
}

/** A failure the chosen mode does not need is only a warning. */
export function verdictFor(mode: Mode, found: boolean, requiredFor: Mode[]): CheckVerdict {
  if (found) return 'ok';
  return requiredFor.includes(mode) ? 'fail' : 'warn';
}

export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map((n) => parseInt(n, 10) || 0);
  const pb = b.replace(/^v/, '').split('.').map((n) => parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

const GiB = 1024 ** 3;

export async function runDoctorChecks(ctx: AppContext, mode: Mode): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = (r: Omit<CheckResult, 'verdict'> & { found: boolean; verdict?: CheckVerdict }) => {
    const { found, ...rest } = r;
    results.push({ ...rest, verdict: r.verdict ?? verdictFor(mode, found, r.requiredFor) });
  };

  const nodeOk = compareVersions(process.versions.node, '20.19.0') >= 0;
  add({ id: 'node', title: 'Node.js', found: nodeOk, requiredFor: ['compose', 'k8s'], detail: `v${process.versions.node}${nodeOk ? '' : ' (devenv needs >= 20.19)'}`, fix: nodeOk ? undefined : 'install Node.js 20.19 or newer.' });

  const docker = new DockerClient(ctx.env, ctx.plan, ctx.redactor, false);
  let ourPorts = new Map<number, string>();
  let dockerUp = false;
  try {
    const info = await docker.ping(4000);
    dockerUp = true;
    add({ id: 'docker', title: 'Docker daemon', found: true, requiredFor: ['compose', 'k8s'], detail: `Docker Engine ${info.serverVersion} (API ${info.apiVersion}, ${info.os}/${info.arch})` });
    ourPorts = await projectHostPorts(docker, ctx.config.compose.project);
  } catch (err) {
    const e = err instanceof DevenvError ? err : undefined;
    add({ id: 'docker', title: 'Docker daemon', found: false, requiredFor: ['compose', 'k8s'], detail: e ? e.message : String(err), fix: e?.hint });
  }

  const compose = await detectCompose(ctx.runner);
  add({
    id: 'compose',
    title: 'Docker Compose',
    found: compose !== null,
    requiredFor: ['compose'],
    detail: compose ? `${compose.flavor} ${compose.version} (\`${compose.argv.join(' ')}\`) will be used${compose.flavor === 'v1' ? '; v2 not found, v1 is the fallback' : ''}` : 'neither `docker compose` nor `docker-compose` found',
    fix: compose ? undefined : COMPOSE_MISSING_HINT,
  });

  const kind = await describeKindBinary({ env: ctx.env });
  add({
    id: 'kind',
    title: 'kind',
    found: Boolean(kind.found) || kind.canDownload,
    verdict: kind.found ? 'ok' : kind.canDownload ? 'warn' : undefined,
    requiredFor: ['k8s'],
    detail: kind.found
      ? `${kind.found.version} at ${kind.found.path} (${kind.found.source}); pinned ${kind.pinnedVersion}`
      : `kind ${kind.pinnedVersion} not found${kind.canDownload ? '; the wrapper will download and verify it on first use' : ''}${kind.reason ? ` (${kind.reason})` : ''}`,
    fix: kind.found ? undefined : `install kind ${kind.pinnedVersion} (\`go install sigs.k8s.io/kind@${kind.pinnedVersion}\`) and put it on PATH, or set KIND=/path/to/kind; \`npx devenv-kind version\` downloads the pinned release when online.`,
  });

  const nodeRef = ctx.config.images.kindNode || null;
  const node = kindNodeImage(nodeRef, nodeRef && dockerUp ? await docker.imageLabels(nodeRef) : null);
  add({
    id: 'kind-node-image',
    title: 'kind node image',
    found: !nodeRef || node.local,
    verdict: !nodeRef || node.local ? 'ok' : 'warn',
    requiredFor: ['k8s'],
    detail: describeKindNodeImage(node),
    fix: nodeRef && !node.local ? `build it (\`eval "$(scripts/kind-node-image.sh)"\` builds one offline) or unset DEVENV_KIND_NODE_IMAGE / images.kindNode to use kind's default.` : undefined,
  });

  // Only for --k8s: it starts a container.
  if (mode === 'k8s' && dockerUp) {
    const probe = await probePrivilegedContainers(docker, nodeRef);
    add({
      id: 'privileged',
      title: 'privileged containers',
      found: true,
      verdict: probe.verdict === 'ok' ? 'ok' : 'warn',
      requiredFor: ['k8s'],
      detail:
        probe.verdict === 'ok'
          ? `a --privileged container of ${probe.image} starts; kind runs unchanged`
          : probe.verdict === 'blocked'
            ? `${PRIVILEGED_BLOCKED_SENTENCE} (probe: ${probe.detail})`
            : `could not tell (${probe.detail}); kind runs unchanged`,
    });
  }

  let kubectlVersion: string | null = null;
  try {
    const res = await new Kubectl(ctx.runner, {}).clientVersion();
    if (res.exitCode === 0) kubectlVersion = JSON.parse(res.stdout).clientVersion?.gitVersion ?? 'unknown version';
  } catch {
    /* missing */
  }
  add({ id: 'kubectl', title: 'kubectl', found: kubectlVersion !== null, requiredFor: ['k8s'], detail: kubectlVersion ? `client ${kubectlVersion}` : 'kubectl not found on PATH', fix: kubectlVersion ? undefined : 'install kubectl (https://kubernetes.io/docs/tasks/tools/) and put it on PATH.' });

  for (const c of await checkHostPorts(portsNeeded(ctx), ourPorts)) {
    add({
      id: `port-${c.port}`,
      title: `port ${c.port} (${c.what})`,
      found: !isBlocked(c),
      requiredFor: c.requiredFor,
      detail: c.state.free ? 'free' : c.ownedBy ? `in use by this devenv project (${c.ownedBy})` : `taken by ${describeHolder(c.state.holder)}`,
      fix: isBlocked(c) ? `stop that process, or choose another host port in devenv.yaml (ports:) or with the DEVENV_*_PORT environment variables.` : undefined,
    });
  }

  try {
    const s = statfsSync(ctx.cwd);
    const free = s.bavail * s.bsize;
    const verdict: CheckVerdict = free < 1 * GiB ? 'fail' : free < 5 * GiB ? 'warn' : 'ok';
    add({ id: 'disk', title: 'free disk', found: verdict !== 'fail', verdict, requiredFor: ['compose', 'k8s'], detail: `${(free / GiB).toFixed(1)} GiB free on ${ctx.cwd}`, fix: verdict === 'ok' ? undefined : 'free some disk space (images and volumes need a few GiB; `docker system prune` removes unused images).' });
  } catch (err) {
    add({ id: 'disk', title: 'free disk', found: true, verdict: 'warn', requiredFor: [], detail: `could not read free space: ${(err as Error).message}` });
  }
  return results;
}
