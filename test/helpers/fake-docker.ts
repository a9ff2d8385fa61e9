// A Docker engine for tests: implements DockerEngine (so a changed method
// breaks it at compile time), answers from an image table, records every call
// in order, and throws on any call it was not given an answer for.
import { daemonUnreachable, type BuildProgress, type ContainerSummary, type DockerEngine, type DockerInfo, type HealthState, type ImageBuild } from '../../cli/adapters/docker.ts';

export interface FakeDockerOptions {
  /** Image ref -> ID: what imageId() answers (null for any other ref). */
  images?: Record<string, string> | Map<string, string>;
  /** ping() fails like a dead daemon. */
  down?: boolean;
  dryRun?: boolean;
  /** What a build does (e.g. add images to the table); without it a build is an unexpected call. */
  build?: (opts: ImageBuild, images: Map<string, string>) => string | null;
  containers?: ContainerSummary[];
  /** Image ref -> labels (an image in `images` without an entry has none). */
  labels?: Record<string, Record<string, string>>;
  /** Container ID -> its inspected state (without an entry, inspecting it is an unexpected call). */
  states?: Record<string, HealthState>;
  /** What starting a --privileged container fails with (null: it starts). */
  privilegedError?: string | null;
  /** What `exec` in a container prints (without it, an exec is an unexpected call). */
  exec?: (id: string, cmd: string[]) => { exitCode?: number; stdout?: string; stderr?: string };
}

export class FakeDocker implements DockerEngine {
  readonly calls: string[] = [];
  readonly images: Map<string, string>;
  readonly dryRun: boolean;

  constructor(private readonly opts: FakeDockerOptions = {}) {
    this.images = opts.images instanceof Map ? opts.images : new Map(Object.entries(opts.images ?? {}));
    this.dryRun = opts.dryRun ?? false;
  }

  private unexpected(call: string): never {
    throw new Error(`FakeDocker: unexpected call: ${call}`);
  }

  async ping(): Promise<DockerInfo> {
    this.calls.push('ping');
    if (this.opts.down) throw daemonUnreachable({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, new Error('connect ENOENT /nonexistent/docker.sock'));
    return { serverVersion: '20.10.24', apiVersion: '1.41', os: 'linux', arch: 'amd64' };
  }

  async imageId(ref: string): Promise<string | null> {
    this.calls.push(`imageId ${ref}`);
    return this.images.get(ref) ?? null;
  }

  async buildImage(opts: ImageBuild, _progress: BuildProgress): Promise<string | null> {
    this.calls.push(`build ${opts.tags[0]}`);
    if (!this.opts.build) return this.unexpected(`build ${opts.tags[0]}`);
    return this.opts.build(opts, this.images);
  }

  async tagImage(source: string, repo: string, tag: string): Promise<void> {
    this.calls.push(`tag ${source} ${repo}:${tag}`);
    const id = this.images.get(source);
    if (!id) return this.unexpected(`tag of an image it does not have: ${source}`);
    this.images.set(`${repo}:${tag}`, id);
  }

  async listContainers(filters: Record<string, string[]>): Promise<ContainerSummary[]> {
    this.calls.push(`listContainers ${JSON.stringify(filters)}`);
    const all = this.opts.containers ?? this.unexpected('listContainers');
    // The label filters devenv uses: a Compose project, a kind cluster (any, or one).
    const labelOf = (c: ContainerSummary, key: string) => (key === 'com.docker.compose.project' ? c.project : key === 'io.x-k8s.kind.cluster' ? c.kindCluster : undefined);
    return all.filter((c) =>
      (filters.label ?? []).every((f) => {
        const [key, value] = f.split('=');
        const v = labelOf(c, key);
        return value === undefined ? v !== undefined : v === value;
      }),
    );
  }

  async inspectHealth(id: string): Promise<HealthState> {
    this.calls.push(`inspect ${id}`);
    return this.opts.states?.[id] ?? this.unexpected(`inspectHealth ${id}`);
  }

  async exec(id: string, cmd: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    this.calls.push(`exec ${id} ${cmd.join(' ')}`);
    if (!this.opts.exec) return this.unexpected(`exec ${id} ${cmd.join(' ')}`);
    const r = this.opts.exec(id, cmd);
    return { exitCode: r.exitCode ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  async putFiles(id: string, dir: string, entries: Array<{ name: string }>): Promise<void> {
    return this.unexpected(`putFiles ${id} ${dir} ${entries.map((e) => e.name).join(',')}`);
  }

  async listVolumes(labelFilters: string[]): Promise<Array<{ name: string; labels: Record<string, string> }>> {
    return this.unexpected(`listVolumes ${labelFilters.join(',')}`);
  }

  async imageLabels(ref: string): Promise<Record<string, string> | null> {
    this.calls.push(`imageLabels ${ref}`);
    return this.opts.labels?.[ref] ?? (this.images.has(ref) ? {} : null);
  }

  async smallestLocalImage(): Promise<string | null> {
    this.calls.push('smallestLocalImage');
    return this.images.keys().next().value ?? null;
  }

  async privilegedStartError(image: string): Promise<string | null> {
    this.calls.push(`privileged ${image}`);
    return this.opts.privilegedError ?? null;
  }
}
