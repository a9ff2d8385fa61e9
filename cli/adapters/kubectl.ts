// kubectl through the command runner, always aimed explicitly: `--context
// kind-<cluster>` by default, so a `devenv up --k8s` never applies to whatever
// context the user's kubeconfig happens to point at; or `--kubeconfig FILE`
// (DEVENV_KUBECONFIG) for an existing cluster. Argument arrays only.
import type { CommandResult, CommandRunner, CommandSpec } from './exec.ts';
import { binaryIdentity, cachedAnswer, onPath } from './binary-cache.ts';

/** The field manager of every devenv apply (server-side apply keeps each manager's fields apart). */
export const FIELD_MANAGER = 'devenv';

const KUBECTL_MISSING_HINT = 'install kubectl (https://kubernetes.io/docs/tasks/tools/) and put it on PATH; `devenv doctor --k8s` checks it.';

/** devenv's field manager for server-side apply: it owns exactly the fields the manifests set. */

export interface KubeTarget {
  /** --kubeconfig FILE; when unset kubectl uses $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** --context NAME; kind names its context kind-<cluster>. */
  context?: string;
}

function kubectlTargetArgs(t: KubeTarget): string[] {
  return [...(t.kubeconfig ? ['--kubeconfig', t.kubeconfig] : []), ...(t.context ? ['--context', t.context] : [])];
}

type RunOptions = Partial<Omit<CommandSpec, 'cmd' | 'args'>>;
type LogsOptions = { pod?: string; selector?: string; namespace: string; container?: string; allContainers?: boolean; tail?: number; previous?: boolean; follow?: boolean; prefix?: boolean };

/** kubectl aimed at one cluster: what the steps and commands use (Kubectl runs it; a test may stand in). */
export interface KubectlEngine {
  readonly target: KubeTarget;
  readonly dryRun: boolean;
  argv(args: string[]): string[];
  run(args: string[], extra?: RunOptions): Promise<CommandResult>;
  kustomize(dir: string): Promise<CommandResult>;
  clientVersion(): Promise<CommandResult>;
  applyYaml(yaml: string, note?: string, timeoutMs?: number): Promise<CommandResult>;
  /** applyYaml that prints the applied objects as JSON, managed fields included (the record of cli/k8s/apply-record.ts). */
  applyRecorded(yaml: string, note?: string, timeoutMs?: number): Promise<CommandResult>;
  /** `kubectl get -f -` of the objects named in a List, as JSON with their managed fields; absent objects are left out. */
  getRecorded(lookupList: string): Promise<CommandResult>;
  rolloutStatus(resource: string, namespace: string, timeoutSeconds: number, onLine?: (line: string) => void): Promise<CommandResult>;
  /** One resource (`pods`, `deployment.apps/x`) or several `TYPE/NAME` at once. */
  getJson(resource: string | string[], namespace: string | null, opts?: { selector?: string; fieldSelector?: string; check?: boolean }): Promise<any | null>;
  topNodes(): Promise<CommandResult>;
  logs(args: LogsOptions, onLine?: (line: string, stream: 'stdout' | 'stderr') => void): Promise<CommandResult>;
  deleteObjects(namespace: string, refs: string[], timeoutSeconds: number, note?: string): Promise<CommandResult>;
  deleteNamespace(namespace: string, timeoutSeconds: number): Promise<CommandResult>;
}

export class Kubectl implements KubectlEngine {
  constructor(
    private readonly runner: CommandRunner,
    readonly target: KubeTarget,
    readonly binary = 'kubectl',
    /**
     * Where `kubectl version --client` is remembered, keyed by the binary's
     * identity (cli/adapters/binary-cache.ts): its answer changes only with
     * the binary, and asking costs a process start on every `up`.
     */
    private readonly versionCache?: { file: string; env: NodeJS.ProcessEnv },
  ) {}

  get dryRun(): boolean {
    return this.runner.dryRun;
  }

  /** The argv kubectl would run (after the binary), for plans and messages. */
  argv(args: string[]): string[] {
    return [...kubectlTargetArgs(this.target), ...args];
  }

  run(args: string[], extra: RunOptions = {}): Promise<CommandResult> {
    return this.runner.run({ cmd: this.binary, args: this.argv(args), missingHint: KUBECTL_MISSING_HINT, ...extra });
  }

  /**
   * `kubectl kustomize DIR`: renders a kustomization without a cluster (so
   * without --context/--kubeconfig). Returns instead of throwing on a
   * non-zero exit; throws CommandError 'not-found' without kubectl.
   */
  kustomize(dir: string): Promise<CommandResult> {
    return this.runner.run({ cmd: this.binary, args: ['kustomize', dir], check: false, timeoutMs: 60_000, missingHint: KUBECTL_MISSING_HINT, note: 'render the kustomization' });
  }

  /** `kubectl version --client -o json`: resolvable without a cluster; a successful answer is cached per binary. */
  async clientVersion(): Promise<CommandResult> {
    const ask = () => this.runner.run({ cmd: this.binary, args: ['version', '--client', '-o', 'json'], missingHint: KUBECTL_MISSING_HINT, check: false, timeoutMs: 15_000 });
    const path = this.versionCache && !this.runner.dryRun ? onPath(this.binary, this.versionCache.env) : null;
    if (!path) return ask();
    let failed: CommandResult | null = null;
    const stdout = await cachedAnswer({
      key: [binaryIdentity(path)],
      file: this.versionCache!.file,
      valid: (v): v is string => typeof v === 'string',
      compute: async () => {
        const res = await ask();
        if (res.exitCode === 0) return res.stdout;
        failed = res;
        return null;
      },
    });
    return failed ?? { exitCode: 0, stdout: stdout ?? '', stderr: '', dryRun: false };
  }

  /**
   * Server-side apply of a YAML stream (or a JSON List: JSON is YAML) on
   * stdin. --force-conflicts: a field another manager took (a hand edit) gets
   * the manifests' value back instead of failing the apply (the replicas an
   * HPA scales are left out of the apply instead: cli/k8s/apply-record.ts).
   */
  applyYaml(yaml: string, note?: string, timeoutMs = 120_000): Promise<CommandResult> {
    return this.run(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-f', '-'], { input: yaml, note, timeoutMs });
  }

  applyRecorded(yaml: string, note?: string, timeoutMs = 120_000): Promise<CommandResult> {
    return this.run(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-f', '-', '--show-managed-fields', '-o', 'json'], { input: yaml, note, timeoutMs });
  }

  getRecorded(lookupList: string): Promise<CommandResult> {
    return this.run(['get', '-f', '-', '--ignore-not-found', '--show-managed-fields', '-o', 'json'], { input: lookupList, check: false, timeoutMs: 30_000, note: 'the objects of the last apply, as they are now' });
  }

  /** `kubectl rollout status <kind>/<name> -n NS --timeout=Ns`; returns instead of throwing so the caller can diagnose. */
  rolloutStatus(resource: string, namespace: string, timeoutSeconds: number, onLine?: (line: string) => void): Promise<CommandResult> {
    return this.run(['rollout', 'status', resource, '-n', namespace, `--timeout=${timeoutSeconds}s`], { check: false, timeoutMs: (timeoutSeconds + 30) * 1000, onLine });
  }

  /** `kubectl get <resource> -n NS [-l SELECTOR] -o json`, parsed; null under --dry-run. */
  async getJson(resource: string | string[], namespace: string | null, opts: { selector?: string; fieldSelector?: string; check?: boolean } = {}): Promise<any | null> {
    const args = ['get', ...[resource].flat(), ...(namespace ? ['-n', namespace] : []), ...(opts.selector ? ['-l', opts.selector] : []), ...(opts.fieldSelector ? [`--field-selector=${opts.fieldSelector}`] : []), '-o', 'json'];
    const res = await this.run(args, { check: opts.check ?? true, timeoutMs: 30_000 });
    if (res.dryRun || res.exitCode !== 0 || !res.stdout.trim()) return null;
    return JSON.parse(res.stdout);
  }

  /** `kubectl top nodes`: answers once the Metrics API serves data. */
  topNodes(): Promise<CommandResult> {
    return this.run(['top', 'nodes'], { check: false, timeoutMs: 30_000 });
  }

  logs(args: LogsOptions, onLine?: (line: string, stream: 'stdout' | 'stderr') => void): Promise<CommandResult> {
    const a = ['logs', ...(args.pod ? [args.pod] : []), '-n', args.namespace];
    if (args.selector) a.push('-l', args.selector, '--max-log-requests=20');
    if (args.container) a.push('-c', args.container);
    if (args.allContainers) a.push('--all-containers=true');
    if (args.prefix) a.push('--prefix=true');
    if (args.tail !== undefined) a.push(`--tail=${args.tail}`);
    if (args.previous) a.push('--previous');
    if (args.follow) a.push('--follow');
    return this.run(a, { check: false, onLine, timeoutMs: args.follow ? undefined : 30_000 });
  }

  /**
   * `kubectl delete -n NS <kind.group>/<name> ... --cascade=foreground`: the
   * named objects only (one command, in the order given); foreground, so the
   * wait covers their pods too (a StatefulSet is gone only once its pods are).
   * Not-found objects are fine: a second `down` is a no-op.
   */
  deleteObjects(namespace: string, refs: string[], timeoutSeconds: number, note?: string): Promise<CommandResult> {
    return this.run(['delete', '-n', namespace, ...refs, '--ignore-not-found=true', '--cascade=foreground', '--wait=true', `--timeout=${timeoutSeconds}s`], { note, timeoutMs: (timeoutSeconds + 30) * 1000 });
  }

  /** Deleting the namespace deletes everything in it, PVCs included; waits until it is gone. */
  deleteNamespace(namespace: string, timeoutSeconds: number): Promise<CommandResult> {
    return this.run(['delete', 'namespace', namespace, '--ignore-not-found=true', '--wait=true', `--timeout=${timeoutSeconds}s`], { timeoutMs: (timeoutSeconds + 30) * 1000 });
  }
}
