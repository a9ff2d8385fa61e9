// Why a pod is not ready, from its status JSON (`kubectl get pod -o json`) and
// its events, with the likely fix. Pure, so every case is unit-tested with
// sample JSON; the rollout step feeds it what kubectl returns.
import { sameRepository } from '../manifests/image-ref.ts';

export type PodProblem =
  | 'image-pull'
  | 'config-error'
  | 'crash-loop'
  | 'oom-killed'
  | 'init-failed'
  | 'init-waiting'
  | 'pvc-pending'
  | 'unschedulable'
  | 'not-ready'
  | 'pending'
  | 'terminating';

export interface PodDiagnosis {
  pod: string;
  phase: string;
  problem: PodProblem;
  /** The container the problem is in, when there is one. */
  container?: string;
  /** The state kubectl shows (ImagePullBackOff, CrashLoopBackOff, Pending, ...). */
  state: string;
  message: string;
  fix: string;
  /** True when the useful logs are those of the previous (crashed) run. */
  previousLogs: boolean;
}

export interface DiagnoseOptions {
  /** Images devenv loads into kind itself (never pulled from a registry). */
  loadedImages?: string[];
  clusterName?: string;
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  image?: string;
  state?: { waiting?: { reason?: string; message?: string }; running?: object; terminated?: { reason?: string; exitCode?: number; message?: string } };
  lastState?: { terminated?: { reason?: string; exitCode?: number; message?: string } };
}

const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable']);
const CONFIG_ERRORS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

function eventsFor(pod: string, events: any[]): any[] {
  return events
    .filter((e) => e?.involvedObject?.name === pod && (e?.involvedObject?.kind ?? 'Pod') === 'Pod')
    .sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? '')));
}

function lastEvent(events: any[], pred: (e: any) => boolean): any | undefined {
  return [...events].reverse().find(pred);
}

function imagePullFix(image: string, opts: DiagnoseOptions): string {
  const cluster = opts.clusterName ?? 'devenv';
  const loaded = (opts.loadedImages ?? []).some((i) => i === image || sameRepository(i, image));
  if (loaded) {
    return `${image} is built locally and must be loaded into the kind node, never pulled: run \`devenv up --k8s\` again (it runs \`kind load docker-image ${image} --name ${cluster}\`), and keep imagePullPolicy: IfNotPresent with a pinned tag (no :latest).`;
  }
  return `the node could not pull ${image}: check the name and tag, or pull it on the host (\`docker pull ${image}\`) so devenv loads it into kind on the next \`devenv up --k8s\` (offline machines: REDIS_IMAGE/NODE_IMAGE point at local images).`;
}

/** A diagnosis for a pod that is not Ready, or null when it is Running and Ready. */
export function diagnosePod(pod: any, events: any[] = [], opts: DiagnoseOptions = {}): PodDiagnosis | null {
  const name: string = pod?.metadata?.name ?? '(unnamed pod)';
  const ns: string = pod?.metadata?.namespace ?? 'default';
  const phase: string = pod?.status?.phase ?? 'Unknown';
  const own = eventsFor(name, events);
  const base = { pod: name, phase };
  const init: ContainerStatus[] = pod?.status?.initContainerStatuses ?? [];
  const main: ContainerStatus[] = pod?.status?.containerStatuses ?? [];
  const specImage = (c: string) => [...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.containers ?? [])].find((x: any) => x?.name === c)?.image;

  if (pod?.metadata?.deletionTimestamp) {
    return { ...base, problem: 'terminating', state: 'Terminating', message: `${name} is being deleted.`, fix: 'wait for it to go; a pod stuck terminating for minutes usually has a finalizer or an unreachable node (`kubectl describe pod`).', previousLogs: false };
  }

  for (const s of [...init, ...main]) {
    const w = s.state?.waiting;
    if (w?.reason && IMAGE_PULL.has(w.reason)) {
      const image = s.image || specImage(s.name) || '(unknown image)';
      const detail = lastEvent(own, (e) => /pull|image/i.test(`${e.reason} ${e.message}`))?.message ?? w.message;
      return { ...base, problem: 'image-pull', container: s.name, state: w.reason, message: `container ${s.name} cannot get its image ${image} (${w.reason})${detail ? `: ${detail}` : ''}.`, fix: imagePullFix(image, opts), previousLogs: false };
    }
    if (w?.reason && CONFIG_ERRORS.has(w.reason)) {
      return {
        ...base,
        problem: 'config-error',
        container: s.name,
        state: w.reason,
        message: `container ${s.name} cannot be created: ${w.message ?? w.reason}.`,
        fix: /not found|couldn't find key/i.test(w.message ?? '')
          ? `a ConfigMap, Secret or key it references is missing in namespace ${ns}: \`devenv up --k8s\` applies config and secrets first; run \`devenv validate\` to find the reference.`
          : 'read the message above; `kubectl describe pod` shows the full event.',
        previousLogs: false,
      };
    }
  }

  for (const s of init) {
    const t = s.state?.terminated;
    const w = s.state?.waiting;
    if ((t && t.exitCode !== 0) || w?.reason === 'CrashLoopBackOff') {
      const last = t ?? s.lastState?.terminated;
      return { ...base, problem: 'init-failed', container: s.name, state: w?.reason ?? `Init:${last?.reason ?? 'Error'}`, message: `init container ${s.name} failed (exit code ${last?.exitCode ?? '?'}${last?.reason ? `, ${last.reason}` : ''}) after ${s.restartCount ?? 0} restart(s).`, fix: `it waits for the pod's dependencies (miner-service:2001, redis:6379): check that those pods are Running and Ready (\`kubectl get pods -n ${ns}\`), and read its logs below.`, previousLogs: !t };
    }
    if (s.state?.running) {
      return { ...base, problem: 'init-waiting', container: s.name, state: 'Init:Running', message: `init container ${s.name} is still waiting for the pod's dependencies.`, fix: `the services it waits for are not reachable yet: check that the miners and redis are Ready (\`kubectl get pods -n ${ns}\`); their diagnosis comes first.`, previousLogs: false };
    }
  }

  for (const s of main) {
    const w = s.state?.waiting;
    const last = s.state?.terminated ?? s.lastState?.terminated;
    if (last?.reason === 'OOMKilled') {
      return { ...base, problem: 'oom-killed', container: s.name, state: w?.reason ?? 'OOMKilled', message: `container ${s.name} was killed for exceeding its memory limit (OOMKilled, ${s.restartCount ?? 0} restart(s)).`, fix: `raise resources.limits.memory of ${s.name} in the manifests, then \`devenv up --k8s\`.`, previousLogs: true };
    }
    if (w?.reason === 'CrashLoopBackOff' || (s.state?.terminated && s.state.terminated.exitCode !== 0)) {
      return {
        ...base,
        problem: 'crash-loop',
        container: s.name,
        state: w?.reason ?? 'Error',
        message: `container ${s.name} keeps exiting (exit code ${last?.exitCode ?? '?'}${last?.reason ? `, ${last.reason}` : ''}; ${s.restartCount ?? 0} restart(s)).`,
        fix: `its last log lines are below (\`kubectl logs ${name} -c ${s.name} -n ${ns} --previous\`); a startup error names the environment variable or file to fix.`,
        previousLogs: true,
      };
    }
  }

  const scheduled = (pod?.status?.conditions ?? []).find((c: any) => c?.type === 'PodScheduled');
  if (phase === 'Pending' && scheduled?.status === 'False') {
    const msg: string = scheduled.message ?? lastEvent(own, (e) => e.reason === 'FailedScheduling')?.message ?? '';
    if (/persistentvolumeclaim|unbound/i.test(msg)) {
      const claims = (pod?.spec?.volumes ?? []).map((v: any) => v?.persistentVolumeClaim?.claimName).filter(Boolean);
      return { ...base, problem: 'pvc-pending', state: 'Pending', message: `${name} waits for its volume claims${claims.length ? ` (${claims.join(', ')})` : ''} to bind: ${msg}`, fix: `no StorageClass provisions them: kind ships a default class "standard" (local-path-provisioner); check \`kubectl get storageclass\` and \`kubectl get pvc -n ${ns}\`, and on another cluster mark a StorageClass as default.`, previousLogs: false };
    }
    if (/insufficient (cpu|memory)/i.test(msg)) {
      return { ...base, problem: 'unschedulable', state: 'Pending', message: `${name} does not fit on any node: ${msg}`, fix: 'lower resources.requests or replicas in the manifests, or give Docker more CPU/memory.', previousLogs: false };
    }
    return { ...base, problem: 'unschedulable', state: 'Pending', message: `${name} cannot be scheduled${msg ? `: ${msg}` : ''}.`, fix: '`kubectl describe pod` shows the scheduler\'s reasons (taints, node selectors, resources).', previousLogs: false };
  }

  const notReady = main.find((s) => !s.ready);
  if (phase === 'Running' && notReady) {
    const probe = lastEvent(own, (e) => e.reason === 'Unhealthy' && /probe/i.test(e.message ?? ''));
    return { ...base, problem: 'not-ready', container: notReady.name, state: 'Running, not ready', message: `container ${notReady.name} is running but not ready${probe ? `: ${probe.message}` : ''}.`, fix: 'the readiness probe fails: the node answers /api/health/ready (webservers) or its P2P port (miners) once its store is open and the chain is loaded; read its logs below.', previousLogs: false };
  }

  if (phase === 'Pending') {
    const w = main.find((s) => s.state?.waiting)?.state?.waiting;
    return { ...base, problem: 'pending', state: w?.reason ?? 'Pending', message: `${name} is still starting${w?.reason ? ` (${w.reason})` : ''}.`, fix: 'give it more time (--timeout), or see `kubectl describe pod` for what it waits on.', previousLogs: false };
  }
  if (phase === 'Running' && main.length && main.every((s) => s.ready)) return null;
  if (phase === 'Succeeded') return null;
  return { ...base, problem: 'pending', state: phase, message: `${name} is ${phase}.`, fix: '`kubectl describe pod` shows its conditions and events.', previousLogs: false };
}

/** The events of a pod as short lines (newest last), for the failure report. */
export function eventLines(pod: string, events: any[], max = 8): string[] {
  return eventsFor(pod, events)
    .slice(-max)
    .map((e) => `${e.type ?? 'Normal'} ${e.reason ?? ''}: ${String(e.message ?? '').trim()}${e.count > 1 ? ` (x${e.count})` : ''}`);
}
