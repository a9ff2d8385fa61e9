// Everything `up --k8s` needs, checked before anything is created: the
// Docker daemon (kind's nodes are containers), the kind node image and what
// its labels ask of the cluster config, whether privileged containers start
// here (if not, kind runs through the docker shim), kind, kubectl, and the
// host ports kind will publish. All missing prerequisites are reported at
// once (exit 3), each with its fix.
import { portsNeeded } from '../../adapters/host-ports.ts';
import { PRIVILEGED_BLOCKED_SENTENCE, probePrivilegedContainers } from '../../adapters/kind-docker-shim.ts';
import { describeKindNodeImage, kindNodeImage } from '../../k8s/kind-node-image.ts';
import { describeHolder } from '../../adapters/ports.ts';
import { DevenvError, ExitCode } from '../../errors.ts';
import type { K8sContext } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

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
      if (useKind && opts.docker !== false && !dry) {
        try {
          const info = await ctx.docker.ping();
          io.report(`Docker Engine ${info.serverVersion}`);
        } catch (err) {
          problems.push(asProblem('Docker', err));
        }
      }
      let kindFound = false;
      if (useKind && opts.docker !== false && !dry && problems.length === 0) {
        const nodeRef = app.config.images.kindNode || null;
        ctx.kindNode = kindNodeImage(nodeRef, nodeRef ? await ctx.docker.imageLabels(nodeRef) : null);
        io.report(`node image: ${describeKindNodeImage(ctx.kindNode)}`);
        ctx.privileged = await probePrivilegedContainers(ctx.docker, nodeRef);
        // The k8s context runs kind through the docker shim from now on (cli/pipelines/k8s-context.ts).
        if (ctx.privileged.verdict === 'blocked') io.report(`WARN: ${PRIVILEGED_BLOCKED_SENTENCE}`);
        else if (ctx.privileged.verdict === 'unknown') {
          io.report(`could not tell whether privileged containers start here (${ctx.privileged.detail}); kind runs unchanged`);
        }
      }
      if (useKind) {
        try {
          const binary = await ctx.kind.binary();
          kindFound = true;
          io.report(`kind: ${binary}`);
        } catch (err) {
          problems.push(asProblem('kind', err));
        }
      }
      try {
        const res = await ctx.kubectl.clientVersion();
        if (!res.dryRun && res.exitCode !== 0) problems.push({ what: `kubectl: \`kubectl version --client\` failed (exit ${res.exitCode}): ${res.stderr.trim().split('\n').pop()}`, fix: 'reinstall kubectl.' });
        else if (!res.dryRun) io.report(`kubectl ${safeVersion(res.stdout)}`);
      } catch (err) {
        problems.push(asProblem('kubectl', err));
      }
      if (useKind && kindFound && problems.length === 0) {
        ctx.clusterExists = await ctx.kind.exists();
        io.report(ctx.clusterExists ? `cluster ${ctx.kind.name} exists` : command.startsWith('devenv up') ? `cluster ${ctx.kind.name} will be created` : `cluster ${ctx.kind.name} does not exist`);
        // A new cluster's node container publishes these ports; an existing one already holds them.
        if (!ctx.clusterExists && !dry && opts.ports !== false) {
          for (const { port, what } of portsNeeded(app).filter((n) => n.requiredFor.includes('k8s'))) {
            const state = await ctx.deps.portState(port);
            if (!state.free) problems.push({ what: `host port ${port} (${what}) is taken by ${describeHolder(state.holder)}`, fix: `stop it (\`devenv down\` if it is the Compose environment), or choose other ports in devenv.yaml (ports:) or with DEVENV_API_PORT / DEVENV_WEBSERVER_P2P_PORT.` });
          }
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

function safeVersion(stdout: string): string {
  try {
    return JSON.parse(stdout)?.clientVersion?.gitVersion ?? '';
  } catch {
    return '';
  }
}
