// `devenv up --watch` on Docker Compose. The bundle goes into each node
// container through the Engine API and the node re-runs itself in place
// (images/blockchain-node/src/live/live-reload.ts says why that and not
// `docker restart`); a new image recreates only the node
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
import { readFileSync } from 'node:fs';
import { LIVE_DIR, buildIdOfBundle } from '../build/build-id.ts';

interface ComposeNode extends NodeInstance {
  id: string;
  state: string;
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
    return (await this.containers()).filter((c) => c.state === 'running');
  }

  // Through the Engine API rather than `docker exec -i ... blockchain-node
  // reload` (what Kubernetes uses): no docker CLI and no second node process
  // loading the old bundle in the container, which on a busy two-core machine
  // is most of a reload. The same protocol: the bundle and `requested` into
  // LIVE_DIR (the node's own directory; the files root's, read-only to it),
  // SIGHUP to PID 1, then `running` names the new build, or the node exited.
  async reload(node: NodeInstance, bundleFile: string): Promise<ReloadOutcome> {
    const id = (node as ComposeNode).id;
    const buildId = buildIdOfBundle(bundleFile);
    if (!buildId) return { ok: false, why: `${bundleFile} has no build id` };
    const running = async () => (await this.docker.exec(id, ['cat', `${LIVE_DIR}/running`], 5000)).stdout.trim();
    if ((await running().catch(() => '')) === buildId) return { ok: true };
    // LIVE_DIR exists: the node creates it when it starts (it writes `running` there).
    await this.docker.putFiles(id, LIVE_DIR, [
      { name: `${buildId}.mjs`, mode: 0o644, data: readFileSync(bundleFile) },
      { name: 'requested', mode: 0o644, data: Buffer.from(buildId) },
    ]);
    // The signal comes from inside the container: one sent through the Engine
    // API (`docker kill -s HUP`) makes Docker skip the restart policy when
    // the node then exits, so a build that crashes on start would leave the
    // container stopped instead of running the last good build again.
    await this.docker.exec(id, ['node', '-e', "process.kill(1, 'SIGHUP')"], 10_000);
    const res = await pollUntil(async () => {
      try {
        return (await running()) === buildId ? done(true) : waiting(`${node.name} does not run build ${buildId} yet`);
      } catch {
        // exec fails once the node (PID 1) has exited: the container stopped.
        const [c] = (await this.docker.listContainers({ id: [id] })).filter((x) => x.state !== 'running');
        if (c) return done(false);
        return waiting(`${node.name} is not answering`);
      }
    }, { timeoutMs: 45_000, intervalMs: 50 });
    if (res.done && res.value) return { ok: true };
    return { ok: false, why: res.done ? 'the node exited' : `build ${buildId} was not running after 45 s (${res.last})` };
  }

  async waitNodesRunning(timeoutMs: number): Promise<void> {
    let started = false;
    const res = await pollUntil(async () => {
      const cs = await this.docker.listContainers({ label: [`com.docker.compose.project=${this.app.config.compose.project}`] });
      const nodes = cs.filter((c) => c.image === this.imageRef);
      const down = nodes.filter((c) => c.state !== 'running');
      // A node the restart policy left stopped is started once (it runs the last good bundle).
      const exited = down.filter((c) => c.state === 'exited' && c.service);
      if (exited.length && !started) {
        started = true;
        await composeFor(this.app, this.cli, this.imageRef).run(['start', ...new Set(exited.map((c) => c.service!))], { timeoutMs: 60_000, check: false });
      }
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
    // One `up --no-deps` per service, side by side: in one invocation Compose
    // starts miner_2 and webserver_1 only once the recreated miner_1 reports
    // healthy (depends_on: service_healthy), which cost ~15 s here. The nodes
    // find their peers again by themselves (the chain is on their volumes).
    const compose = composeFor(this.app, this.cli, ref);
    await Promise.all(services.map((s) => compose.run(['up', '-d', '--no-deps', '--no-build', s], { timeoutMs: 180_000 })));
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
