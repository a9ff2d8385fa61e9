// One kind cluster, by name, through the command runner: the command lines
// come from kind-commands.ts (checked against kind's documentation), the
// binary from kind-binary.ts. Under --dry-run every query answers "nothing
// exists yet", so the plan shows the cold path.
import type { CommandResult, CommandRunner } from './exec.ts';
import { kindCommand, kindCreateCluster, kindDeleteCluster, kindGetClusters, kindGetKubeconfig, kindLoadDockerImage } from './kind-commands.ts';

export class KindCluster {
  /**
   * @param env extra environment for kind's commands only (the docker shim
   *   first on PATH on hosts that cannot start privileged containers).
   */
  constructor(
    private readonly runner: CommandRunner,
    readonly name: string,
    readonly binary = 'kind',
    readonly env: Record<string, string> = {},
  ) {}

  private command(args: string[], extra: Parameters<typeof kindCommand>[2] = {}) {
    return kindCommand(this.binary, args, Object.keys(this.env).length ? { env: this.env, ...extra } : extra);
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
    const res = await this.runner.run(this.command(kindGetClusters(), { timeoutMs: 30_000 }));
    if (res.dryRun) return false;
    return res.stdout.split('\n').some((l) => l.trim() === this.name);
  }

  create(configFile: string, opts: { image?: string | null; wait?: string } = {}): Promise<CommandResult> {
    return this.runner.run(this.command(kindCreateCluster({ name: this.name, config: configFile, wait: opts.wait ?? '120s', image: opts.image }), { timeoutMs: 10 * 60_000 }));
  }

  delete(): Promise<CommandResult> {
    return this.runner.run(this.command(kindDeleteCluster({ name: this.name }), { timeoutMs: 5 * 60_000 }));
  }

  loadImage(image: string, note?: string): Promise<CommandResult> {
    return this.runner.run(this.command(kindLoadDockerImage({ image, name: this.name }), { timeoutMs: 10 * 60_000, note }));
  }

  kubeconfig(): Promise<CommandResult> {
    return this.runner.run(this.command(kindGetKubeconfig({ name: this.name }), { timeoutMs: 30_000 }));
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
