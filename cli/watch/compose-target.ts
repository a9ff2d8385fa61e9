// `devenv up --watch` on Docker Compose. The bundle goes in with
// `docker exec -i <container> blockchain-node reload` (the node re-runs
// itself in place: images/blockchain-node/src/live/live-reload.ts says why
// that and not `docker restart`); a new image recreates only the node
// services (`up -d --no-deps`); a Compose file change is `up -d` again, which
// recreates only the services whose definition changed.
import type { AppContext } from '../context.ts';
import type { DockerEngine } from '../adapters/docker.ts';
import type { ComposeCli } from '../adapters/compose.ts';
import { pollUntil, done, waiting } from '../adapters/poll.ts';
import { composeFor } from '../compose/compose-project.ts';
import { checkComposeFile } from '../compose/compose-file.ts';
import { DevenvError } from '../errors.ts';
import type { NodeInstance, ReloadOutcome, WatchTarget } from './watch-target.ts';
import { errorLines } from './node-logs.ts';

interface ComposeNode extends NodeInstance {
  id: string;
}

export class ComposeWatchTarget implements WatchTarget {
  readonly description: string;

  constructor(
    private readonly app: AppContext,
    private readonly docker: DockerEngine,
    private readonly cli: ComposeCli,
    public imageRef: string,
  ) {
    this.description = `Compose project ${app.config.compose.project}`;
  }

  private async containers(): Promise<ComposeNode[]> {
    const all = await this.docker.listContainers({ label: [`com.docker.compose.project=${this.app.config.compose.project}`] });
    return all
      .filter((c) => c.image === this.imageRef && c.service)
      .map((c) => ({ id: c.id, name: c.name, service: c.service!, state: c.state }))
      .sort((a, b) => a.service.localeCompare(b.service));
  }

  async nodes(): Promise<NodeInstance[]> {
    return this.containers();
  }

  async reload(node: NodeInstance, bundleFile: string): Promise<ReloadOutcome> {
    const res = await this.app.runner.run({ cmd: 'docker', args: ['exec', '-i', (node as ComposeNode).id, 'blockchain-node', 'reload'], inputFile: bundleFile, check: false, timeoutMs: 45_000, note: `new bundle into ${node.name}` });
    if (res.exitCode === 0) return { ok: true };
    const said = `${res.stderr}\n${res.stdout}`.trim().split('\n').filter(Boolean).pop();
    return { ok: false, why: said ? said.replace(/^reload: /, '') : `the node exited (docker exec ended with ${res.exitCode})` };
  }

  async waitNodesRunning(timeoutMs: number): Promise<void> {
    const res = await pollUntil(async () => {
      const cs = await this.docker.listContainers({ label: [`com.docker.compose.project=${this.app.config.compose.project}`] });
      const nodes = cs.filter((c) => c.image === this.imageRef);
      const down = nodes.filter((c) => c.state !== 'running');
      return nodes.length && !down.length ? done(true) : waiting(`not running: ${down.map((c) => `${c.name} (${c.state})`).join(', ') || 'no node container'}`);
    }, { timeoutMs, intervalMs: 200 });
    if (!res.done) throw new DevenvError(`the node containers did not come back within ${Math.round(timeoutMs / 1000)} s: ${res.last}.`, { hint: `run \`devenv status --config ${this.app.config.file ?? 'devenv.yaml'}\` and \`devenv logs\` to see why.` });
  }

  async crashReason(node: NodeInstance, sinceMs: number): Promise<string | null> {
    const res = await this.app.runner.run({ cmd: 'docker', args: ['logs', '--since', new Date(sinceMs - 1000).toISOString(), (node as ComposeNode).id], check: false, timeoutMs: 15_000 });
    return errorLines(`${res.stdout}\n${res.stderr}`);
  }

  async rollOutImage(ref: string, nodes: NodeInstance[]): Promise<void> {
    const services = [...new Set(nodes.map((n) => n.service))];
    await composeFor(this.app, this.cli, ref).run(['up', '-d', '--no-deps', '--no-build', ...services], { timeoutMs: 180_000 });
    this.imageRef = ref;
  }

  async applyTopology(_files: string[]): Promise<string> {
    // Bad YAML or a dangling depends_on stops here, with file and line, before Compose touches anything.
    checkComposeFile(composeFor(this.app, this.cli, this.imageRef).project.file, this.app.cwd);
    const lines: string[] = [];
    await composeFor(this.app, this.cli, this.imageRef).run(['up', '-d', '--no-build', '--remove-orphans'], { timeoutMs: 180_000, onLine: (l) => lines.push(l) });
    const recreated = [...new Set(lines.filter((l) => /\b(Recreated?|Created|Removed|Recreating|Creating|Removing)\b/.test(l)).map((l) => l.trim().split(/\s+/)[1] ?? l.trim()))];
    return recreated.length ? `recreated ${recreated.join(', ')}` : 'nothing to recreate';
  }
}
