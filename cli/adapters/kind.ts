// One kind cluster, by name, through the command runner: the command lines
// come from kind-commands.ts (checked against kind's documentation), the
// binary from kind-binary.ts. Under --dry-run every query answers "nothing
// exists yet", so the plan shows the cold path.
import type { CommandResult, CommandRunner } from './exec.ts';
import { kindCommand, kindCreateCluster, kindDeleteCluster, kindGetClusters, kindGetKubeconfig, kindLoadDockerImage } from './kind-commands.ts';

/** One kind cluster: what the steps use (KindCluster runs kind; a test may stand in). */
export interface KindEngine {
  readonly name: string;
  /** kubectl's context for the cluster: kind-<name>. */
  readonly context: string;
  /** The node container of a single-node cluster. */
  readonly controlPlane: string;
  binary(): Promise<string>;
  exists(): Promise<boolean>;
  create(configFile: string, opts?: { image?: string | null; wait?: string }): Promise<CommandResult>;
  delete(): Promise<CommandResult>;
  loadImage(image: string, note?: string): Promise<CommandResult>;
  kubeconfig(): Promise<CommandResult>;
  nodeImageId(image: string): Promise<string | null>;
}

export class KindCluster implements KindEngine {
  private found?: Promise<string>;

  constructor(
    private readonly runner: CommandRunner,
    readonly name: string,
    /** The kind binary, or how to find it (resolved once, on first use). */
    private readonly binarySource: string | (() => Promise<string>) = 'kind',
    /**
     * Extra environment for kind's commands only, asked at each command: the
     * docker shim first on PATH on hosts that cannot start privileged
     * containers (cli/adapters/kind-docker-shim.ts). `nodes: false` for a
     * command that only lists clusters: the answer may then skip the probe
     * that finds out.
     */
    private readonly environment: (opts: { nodes: boolean }) => Record<string, string> | Promise<Record<string, string>> = () => ({}),
  ) {}

  private async command(args: string[], extra: Parameters<typeof kindCommand>[2] = {}, nodes = true) {
    const env = await this.environment({ nodes });
    return kindCommand(await this.binary(), args, Object.keys(env).length ? { env, ...extra } : extra);
  }

  /** The kind binary's path. The preflight asks first, so that a missing kind is reported with the other problems. */
  binary(): Promise<string> {
    const source = this.binarySource;
    this.found ??= typeof source === 'string' ? Promise.resolve(source) : source();
    return this.found;
  }

  /** kubectl's context for this cluster, as kind writes it into the kubeconfig. */
  get context(): string {
    return `kind-${this.name}`;
  }

  /** The node container of a single-node cluster (kind names it <cluster>-control-plane). */
  get controlPlane(): string {
    return `${this.name}-control-plane`;
  }

  /** Exact name match in `kind get clusters` (a cluster "devenv-old" is not "devenv"). */
  async exists(): Promise<boolean> {
    const res = await this.runner.run(await this.command(kindGetClusters(), { timeoutMs: 30_000 }, false));
    if (res.dryRun) return false;
    return res.stdout.split('\n').some((l) => l.trim() === this.name);
  }

  async create(configFile: string, opts: { image?: string | null; wait?: string } = {}): Promise<CommandResult> {
    return this.runner.run(await this.command(kindCreateCluster({ name: this.name, config: configFile, wait: opts.wait ?? '120s', image: opts.image }), { timeoutMs: 10 * 60_000 }));
  }

  async delete(): Promise<CommandResult> {
    return this.runner.run(await this.command(kindDeleteCluster({ name: this.name }), { timeoutMs: 5 * 60_000 }));
  }

  async loadImage(image: string, note?: string): Promise<CommandResult> {
    return this.runner.run(await this.command(kindLoadDockerImage({ image, name: this.name }), { timeoutMs: 10 * 60_000, note }));
  }

  async kubeconfig(): Promise<CommandResult> {
    return this.runner.run(await this.command(kindGetKubeconfig({ name: this.name }), { timeoutMs: 30_000 }));
  }

  /**
   * The ID of an image in the node's containerd, or null when absent. The
   * same check `kind load docker-image` makes before loading
   * (nodeutils.ImageID: `crictl inspecti IMAGE`, .status.id), made here so
   * devenv can say "already loaded" and skip the docker save.
   */
  async nodeImageId(image: string): Promise<string | null> {
    const res = await this.runner.run({ cmd: 'docker', args: ['exec', this.controlPlane, 'crictl', 'inspecti', image], check: false, timeoutMs: 30_000 });
    if (res.dryRun || res.exitCode !== 0) return null;
    try {
      const id = JSON.parse(res.stdout)?.status?.id;
      return typeof id === 'string' && id ? id : null;
    } catch {
      return null;
    }
  }
}
