// Everything `up --k8s` needs, checked before anything is created: the
// Docker daemon (kind's nodes are containers), the kind node image and what
// its labels ask of the cluster config, kind, kubectl (asked at once), and,
// when the cluster is to be created, whether privileged containers start
// here (if not, kind runs through the docker shim); the host ports kind will
// publish (chosen for a new cluster, read from an existing one:
// cli/k8s/kind-ports.ts). All missing prerequisites are reported at once
// (exit 3), each with its fix.
import { kindClusterHostPorts, projectHostPorts } from '../../adapters/host-ports.ts';
import type { PortState } from '../../adapters/ports.ts';
import { chooseKindHostPorts, kindPortsMismatch, publishedKindHostPorts, type KindHostPorts } from '../../k8s/kind-ports.ts';
import { PRIVILEGED_BLOCKED_SENTENCE, probePrivilegedContainers } from '../../adapters/kind-docker-shim.ts';
import { describeKindNodeImage, kindNodeImage } from '../../k8s/kind-node-image.ts';
import { describeHolder } from '../../adapters/ports.ts';
import { DevenvError, ExitCode } from '../../errors.ts';
import type { K8sContext } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';
import { existsSync, readFileSync } from 'node:fs';
import { prefetchKustomize } from '../../manifests/render.ts';
import { startLiveLookup } from '../k8s-live.ts';

interface Problem {
  what: string;
  fix: string;
}

function asProblem(what: string, err: unknown): Problem {
  if (err instanceof DevenvError && err.exitCode === ExitCode.prerequisite) return { what: `${what}: ${err.message}`, fix: err.hint ?? '' };
  throw err;
}

export function k8sPreflightStep(command = 'devenv up --k8s', opts: { docker?: boolean; kind?: boolean; ports?: boolean } = {}): Step<K8sContext> {
  return {
    name: `Preflight: ${[opts.docker !== false ? 'Docker daemon' : null, opts.kind !== false ? 'kind' : null, 'kubectl', opts.ports !== false ? 'host ports' : null].filter(Boolean).join(', ')}`,
    run: async (ctx, io) => {
      const { app } = ctx;
      const dry = app.args.dryRun;
      const problems: Problem[] = [];
      const useKind = !ctx.target.existingCluster && opts.kind !== false;
      io.report(`target: ${ctx.target.description}`);
      // The render needs nothing checked here: kubectl renders the manifests
      // meanwhile (when the generated keys exist already; a first run renders later).
      if (!dry && !ctx.kustomize && command.startsWith('devenv up') && existsSync(ctx.secretsFile)) {
        const keys = readFileSync(ctx.secretsFile, 'utf8');
        ctx.kustomize = prefetchKustomize(app.runner, [ctx.manifestsDir], () => readFileSync(ctx.secretsFile, 'utf8') === keys);
      }
      // What the last `up` applied is looked up meanwhile too (a warm `up` compares it).
      if (!dry && command.startsWith('devenv up')) startLiveLookup(ctx);
      // The daemon, kind, kubectl, the node image's labels and whether the
      // cluster exists are independent: asked at once, their problems
      // reported in this order (the last two only matter when there are none).
      const checkDocker = useKind && opts.docker !== false && !dry;
      const nodeRef = app.config.images.kindNode || null;
      const [docker, kind, kubectl, labels, exists] = await Promise.allSettled([
        checkDocker ? ctx.docker.ping() : Promise.resolve(null),
        useKind ? ctx.kind.binary() : Promise.resolve(null),
        ctx.kubectl.clientVersion(),
        checkDocker && nodeRef ? ctx.docker.imageLabels(nodeRef) : Promise.resolve(null),
        useKind ? ctx.kind.exists() : Promise.resolve(undefined),
      ]);
      if (docker.status === 'rejected') problems.push(asProblem('Docker', docker.reason));
      else if (docker.value) io.report(`Docker Engine ${docker.value.serverVersion}`);
      const kindFound = kind.status === 'fulfilled';
      if (kind.status === 'rejected') problems.push(asProblem('kind', kind.reason));
      else if (kind.value) io.report(`kind: ${kind.value}`);
      if (kubectl.status === 'rejected') problems.push(asProblem('kubectl', kubectl.reason));
      else {
        const res = kubectl.value;
        if (!res.dryRun && res.exitCode !== 0) problems.push({ what: `kubectl: \`kubectl version --client\` failed (exit ${res.exitCode}): ${res.stderr.trim().split('\n').pop()}`, fix: 'reinstall kubectl.' });
        else if (!res.dryRun) io.report(`kubectl ${safeVersion(res.stdout)}`);
      }
      if (checkDocker && problems.length === 0) {
        if (labels.status === 'rejected') throw labels.reason;
        ctx.kindNode = kindNodeImage(nodeRef, labels.value);
        io.report(`node image: ${describeKindNodeImage(ctx.kindNode)}`);
      }
      if (useKind && kindFound && problems.length === 0) {
        if (exists.status === 'rejected') throw exists.reason;
        ctx.clusterExists = exists.value;
        io.report(ctx.clusterExists ? `cluster ${ctx.kind.name} exists` : command.startsWith('devenv up') ? `cluster ${ctx.kind.name} will be created` : `cluster ${ctx.kind.name} does not exist`);
      }
      // Whether privileged containers start decides how kind runs (through the
      // docker shim or not): asked here when kind is about to create the
      // cluster, else only when kind first touches the node (cli/pipelines/k8s-context.ts).
      if (checkDocker && problems.length === 0 && ctx.clusterExists === false) {
        ctx.privileged = await probePrivilegedContainers(ctx.docker, nodeRef);
        if (ctx.privileged.verdict === 'blocked') io.report(`WARN: ${PRIVILEGED_BLOCKED_SENTENCE}`);
        else if (ctx.privileged.verdict === 'unknown') {
          io.report(`could not tell whether privileged containers start here (${ctx.privileged.detail}); kind runs unchanged`);
        }
      }
      if (useKind && kindFound && problems.length === 0) {
        if (opts.ports !== false) {
          const chosen = await kindHostPortsFor(ctx, dry);
          problems.push(...chosen.problems);
          ctx.hostPorts = chosen.ports;
          if (chosen.ports) io.report(`host ports: API ${chosen.ports.api}, webserver P2P ${chosen.ports.webserverP2p} (${chosen.why})`);
        }
      }
      if (problems.length) {
        throw new DevenvError(`\`${command}\` cannot start; nothing was created. ${problems.map((p) => p.what).join(' ')}`, {
          exitCode: ExitCode.prerequisite,
          hint: problems.map((p) => p.fix).filter(Boolean).join(' '),
        });
      }
    },
  };
}

/**
 * A new cluster: the host ports chosen now (kind fixes them at create), each
 * checked free. An existing cluster: the ports its node container publishes,
 * and a problem when devenv.yaml's k8s.ports asks for others.
 */
async function kindHostPortsFor(ctx: K8sContext, dry: boolean): Promise<{ ports?: KindHostPorts; why: string; problems: Problem[] }> {
  const { app } = ctx;
  if (ctx.clusterExists) {
    const published = publishedKindHostPorts(await kindClusterHostPorts(ctx.docker, ctx.kind.name));
    const mismatch = kindPortsMismatch(app.config, published);
    const ports = { api: published.api ?? app.config.ports.api, webserverP2p: published.webserverP2p ?? app.config.ports.webserverP2p };
    return { ports, why: `published by kind cluster ${ctx.kind.name}`, problems: mismatch ? [mismatch] : [] };
  }
  if (dry) {
    const choice = chooseKindHostPorts(app.config, () => 'free');
    return { ...choice, problems: [] };
  }
  const composePorts = await projectHostPorts(ctx.docker, app.config.compose.project);
  const states = new Map<number, PortState>();
  for (const port of new Set([app.config.ports.api, app.config.ports.webserverP2p])) states.set(port, await ctx.deps.portState(port));
  const choice = chooseKindHostPorts(app.config, (port) => (composePorts.has(port) ? 'compose' : states.get(port)?.free === false ? 'other' : 'free'));
  const problems: Problem[] = [];
  const what = { api: 'HTTP API (webserver)', webserverP2p: 'webserver P2P' } as const;
  for (const key of ['api', 'webserverP2p'] as const) {
    const port = choice.ports[key];
    const state = states.get(port) ?? (await ctx.deps.portState(port));
    if (state.free) continue;
    const holder = composePorts.has(port) ? `the Compose network (service ${composePorts.get(port)})` : describeHolder(state.holder);
    problems.push({
      what: `host port ${port} (${what[key]}) is taken by ${holder} (the cluster would publish it: ${choice.why}).`,
      fix: `stop it (\`devenv down\` if it is the Compose environment), or choose other ports in devenv.yaml (k8s.ports: or ports:) or with DEVENV_K8S_API_PORT / DEVENV_K8S_WEBSERVER_P2P_PORT.`,
    });
  }
  return { ...choice, problems };
}

function safeVersion(stdout: string): string {
  try {
    return JSON.parse(stdout)?.clientVersion?.gitVersion ?? '';
  } catch {
    return '';
  }
}
