// Docker over dockerode, returning devenv's own types (never dockerode's) so
// the rest of the code and its tests do not depend on the Engine API shape.
// Mutating calls are recorded in the plan and skipped under --dry-run.
import type Dockerode from 'dockerode';
import { DevenvError, ExitCode } from '../errors.ts';
import { DockerApiError, dockerGet, dockerSocketPath } from './docker-http.ts';
import type { Plan } from '../plan.ts';
import type { Redactor } from '../redact.ts';
import { tarEntries, tarFiles, type TarEntry } from '../build/tar.ts';

export interface DockerInfo {
  serverVersion: string;
  apiVersion: string;
  os: string;
  arch: string;
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  imageId: string;
  state: string;
  /** 'healthy' | 'unhealthy' | 'starting' | 'none' */
  health: string;
  service?: string;
  project?: string;
  /** The kind cluster a kind node container belongs to (label io.x-k8s.kind.cluster). */
  kindCluster?: string;
  /** Its addresses on its Docker networks. */
  ips?: string[];
  ports: Array<{ hostIp: string; hostPort: number; containerPort: number }>;
  /** The container's labels (Compose records what it created the container from in them). */
  labels?: Record<string, string>;
}

export interface BuildProgress {
  (line: string): void;
}

/** The daemon address as the user would recognise it (for error messages). */
function dockerHostLabel(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_HOST || 'unix:///var/run/docker.sock';
}

export function daemonUnreachable(env: NodeJS.ProcessEnv, cause?: unknown): DevenvError {
  const why = cause instanceof Error ? ` (${cause.message})` : '';
  return new DevenvError(`the Docker daemon is not reachable at ${dockerHostLabel(env)}${why}.`, {
    exitCode: ExitCode.prerequisite,
    hint: 'start Docker (e.g. `sudo systemctl start docker`, or `sudo dockerd &` on a machine without systemd), or point DOCKER_HOST at a running daemon; `devenv doctor` checks it.',
  });
}

/**
 * A build that failed, by where: `refused` (the engine rejected the request:
 * nothing was built) or `build` (an instruction of the Dockerfile failed,
 * FROM included). Callers decide by `stage`, not by the engine's wording.
 */
export class ImageBuildError extends DevenvError {
  constructor(
    readonly stage: 'refused' | 'build',
    message: string,
    opts: { hint: string; cause?: unknown },
  ) {
    super(message, opts);
    this.name = 'ImageBuildError';
  }
}

/** Parses one line of the build's JSON stream into text, or throws on errorDetail. */
export function parseBuildEvent(ev: { stream?: string; status?: string; progress?: string; error?: string; errorDetail?: { message?: string }; aux?: { ID?: string } }): string | undefined {
  if (ev.errorDetail || ev.error) {
    throw new ImageBuildError('build', `docker build failed: ${(ev.errorDetail?.message ?? ev.error ?? '').trim()}`, {
      hint: 'read the build output above; fix the Dockerfile or the build context, then run `devenv up` again.',
    });
  }
  const text = ev.stream ?? (ev.status ? `${ev.status}${ev.progress ? ' ' + ev.progress : ''}` : undefined);
  return text?.trimEnd() || undefined;
}

export function mapContainer(c: Dockerode.ContainerInfo, health?: string): ContainerSummary {
  const labels = c.Labels ?? {};
  return {
    id: c.Id,
    name: (c.Names?.[0] ?? '').replace(/^\//, ''),
    image: c.Image,
    imageId: c.ImageID,
    state: c.State,
    health: health ?? (/\(healthy\)/.test(c.Status) ? 'healthy' : /\(unhealthy\)/.test(c.Status) ? 'unhealthy' : /health: starting/.test(c.Status) ? 'starting' : 'none'),
    service: labels['com.docker.compose.service'],
    project: labels['com.docker.compose.project'],
    kindCluster: labels['io.x-k8s.kind.cluster'],
    ips: Object.values(c.NetworkSettings?.Networks ?? {}).map((n) => n?.IPAddress).filter((ip): ip is string => Boolean(ip)),
    labels,
    ports: (c.Ports ?? [])
      .filter((p) => p.PublicPort)
      .map((p) => ({ hostIp: p.IP ?? '', hostPort: p.PublicPort, containerPort: p.PrivatePort }))
      .filter((p, i, all) => all.findIndex((q) => q.hostPort === p.hostPort && q.containerPort === p.containerPort) === i),
  };
}

export interface HealthState {
  status: string;
  log: Array<{ exitCode: number; output: string }>;
  restartCount: number;
  pid: number;
  /** When the container's current run started (ISO 8601; '' when it never ran). */
  startedAt: string;
}

export interface ImageBuild {
  context: string;
  files: string[];
  dockerfile: string;
  tags: string[];
  buildArgs: Record<string, string>;
  labels?: Record<string, string>;
}

/**
 * The Docker engine as devenv uses it, in devenv's own types. DockerClient
 * implements it over dockerode; a test fake implements it too (so a renamed
 * or re-typed method breaks the fake at compile time, not at run time).
 */
export interface DockerEngine {
  readonly dryRun: boolean;
  /** Reachability with a bounded wait; resolves to the daemon's version or throws exit 3. */
  ping(timeoutMs?: number): Promise<DockerInfo>;
  /** The image's ID, or null when the engine has no such image. */
  imageId(ref: string): Promise<string | null>;
  /** Builds and tags an image (recorded in the plan; nothing under --dry-run, null then). */
  buildImage(opts: ImageBuild, progress: BuildProgress): Promise<string | null>;
  tagImage(source: string, repo: string, tag: string): Promise<void>;
  listContainers(filters: Record<string, string[]>): Promise<ContainerSummary[]>;
  inspectHealth(id: string): Promise<HealthState>;
  /** Runs a read-only command in a running container (no plan entry: it observes). */
  exec(id: string, cmd: string[], timeoutMs?: number): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  listVolumes(labelFilters: string[]): Promise<Array<{ name: string; labels: Record<string, string> }>>;
  /** Extracts entries into DIR (which must exist) in a container, like `docker cp` (recorded in the plan). */
  putFiles(id: string, dir: string, entries: TarEntry[]): Promise<void>;
  /** An image's labels, or null when the engine has no such image. */
  imageLabels(ref: string): Promise<Record<string, string> | null>;
  /** Any local image (the smallest), for probes that need one; null when there is none. */
  smallestLocalImage(): Promise<string | null>;
  /** Starts `true` in a --privileged container of IMAGE; the daemon's error, or null when it started. */
  privilegedStartError(image: string, timeoutMs?: number): Promise<string | null>;
}

export class DockerClient implements DockerEngine {
  private clientPromise?: Promise<Dockerode>;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly plan: Plan,
    private readonly redactor: Redactor,
    readonly dryRun: boolean,
  ) {}

  private client(): Promise<Dockerode> {
    // dockerode (and ssh2 under it) is loaded only by commands that talk to Docker.
    this.clientPromise ??= import('dockerode').then(({ default: Docker }) => new Docker(dockerodeOptions(this.env)));
    return this.clientPromise;
  }

  async ping(timeoutMs = 5000): Promise<DockerInfo> {
    const socket = dockerSocketPath(this.env);
    if (socket) {
      try {
        const v = await dockerGet<{ Version: string; ApiVersion: string; Os: string; Arch: string }>(socket, '/version', timeoutMs);
        return { serverVersion: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch };
      } catch (err) {
        throw daemonUnreachable(this.env, err);
      }
    }
    const d = await this.client();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      await Promise.race([d.ping(), timeout]);
      const v = await Promise.race([d.version(), timeout]);
      return { serverVersion: v.Version, apiVersion: v.ApiVersion, os: v.Os, arch: v.Arch };
    } catch (err) {
      throw daemonUnreachable(this.env, err);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `GET /images/{ref}/json` (null on 404), over the socket without dockerode when it is a unix socket. */
  private async inspectImage(ref: string): Promise<{ Id: string; Config?: { Labels?: Record<string, string> | null } } | null> {
    const socket = dockerSocketPath(this.env);
    if (!socket) {
      const d = await this.client();
      try {
        return (await d.getImage(ref).inspect()) as any;
      } catch (err: any) {
        if (err?.statusCode === 404) return null;
        throw err;
      }
    }
    try {
      return await dockerGet(socket, `/images/${encodeURIComponent(ref)}/json`);
    } catch (err) {
      if (err instanceof DockerApiError && err.statusCode === 404) return null;
      throw err;
    }
  }

  async imageId(ref: string): Promise<string | null> {
    return (await this.inspectImage(ref))?.Id ?? null;
  }

  async buildImage(opts: ImageBuild, progress: BuildProgress): Promise<string | null> {
    this.plan.record({ kind: 'docker', call: 'POST /build', args: { context: opts.context, dockerfile: opts.dockerfile, tags: opts.tags, buildargs: opts.buildArgs } });
    if (this.dryRun) return null;
    const d = await this.client();
    const buildOptions = { dockerfile: opts.dockerfile, buildargs: opts.buildArgs, labels: opts.labels, rm: true, forcerm: true } as unknown as Dockerode.ImageBuildOptions;
    let stream: NodeJS.ReadableStream;
    try {
      const { Readable } = await import('node:stream');
      const archive = Readable.from([tarFiles(opts.context, opts.files)]);
      stream = await d.buildImage(archive, { ...buildOptions, t: opts.tags[0] } as Dockerode.ImageBuildOptions);
    } catch (err) {
      throw new ImageBuildError('refused', `docker build of ${opts.tags[0]} was refused: ${(err as Error).message.trim()}`, {
        hint: `check ${opts.context}/${opts.dockerfile} and its .dockerignore (files sent: ${opts.files.join(', ')}).`,
        cause: err,
      });
    }
    let imageId: string | null = null;
    await new Promise<void>((resolve, reject) => {
      d.modem.followProgress(
        stream,
        (err: Error | null) => (err ? reject(err) : resolve()),
        (ev: any) => {
          try {
            if (ev.aux?.ID) imageId = ev.aux.ID;
            const line = parseBuildEvent(ev);
            if (line) progress(this.redactor.redact(line));
          } catch (e) {
            reject(e);
          }
        },
      );
    });
    return imageId ?? (await this.imageId(opts.tags[0]));
  }

  async tagImage(source: string, repo: string, tag: string): Promise<void> {
    this.plan.record({ kind: 'docker', call: 'POST /images/{name}/tag', args: { name: source, repo, tag } });
    if (this.dryRun) return;
    const d = await this.client();
    await d.getImage(source).tag({ repo, tag });
  }

  async listContainers(filters: Record<string, string[]>): Promise<ContainerSummary[]> {
    const socket = dockerSocketPath(this.env);
    if (socket) {
      const list = await dockerGet<Dockerode.ContainerInfo[]>(socket, `/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify(filters))}`);
      return list.map((c) => mapContainer(c));
    }
    const d = await this.client();
    const list = await d.listContainers({ all: true, filters: JSON.stringify(filters) });
    return list.map((c) => mapContainer(c));
  }

  async inspectHealth(id: string): Promise<HealthState> {
    const socket = dockerSocketPath(this.env);
    const info: any = socket ? await dockerGet(socket, `/containers/${encodeURIComponent(id)}/json`) : await (await this.client()).getContainer(id).inspect();
    const h = info.State?.Health;
    return {
      status: h?.Status ?? 'none',
      log: (h?.Log ?? []).map((l: any) => ({ exitCode: l.ExitCode, output: this.redactor.redact(String(l.Output ?? '')) })),
      restartCount: info.RestartCount ?? 0,
      pid: info.State?.Pid ?? 0,
      startedAt: info.State?.StartedAt ?? '',
    };
  }

  async exec(id: string, cmd: string[], timeoutMs = 15000): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const d = await this.client();
    const container = d.getContainer(id);
    const ex = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await ex.start({ hijack: true, stdin: false });
    const { PassThrough } = await import('node:stream');
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    let stderr = '';
    out.on('data', (c) => (stdout += c));
    err.on('data', (c) => (stderr += c));
    d.modem.demuxStream(stream, out, err);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`\`${cmd.join(' ')}\` in ${id.slice(0, 12)} did not finish within ${timeoutMs} ms`)), timeoutMs);
      stream.on('end', () => { clearTimeout(t); resolve(); });
      stream.on('error', (e) => { clearTimeout(t); reject(e); });
    });
    const info = await ex.inspect();
    return { exitCode: info.ExitCode ?? 1, stdout: this.redactor.redact(stdout), stderr: this.redactor.redact(stderr) };
  }

  async putFiles(id: string, dir: string, entries: TarEntry[]): Promise<void> {
    this.plan.record({ kind: 'docker', call: 'PUT /containers/{id}/archive', args: { id, path: dir, entries: entries.map((e) => e.name) } });
    if (this.dryRun) return;
    const d = await this.client();
    await d.getContainer(id).putArchive(tarEntries(entries), { path: dir });
  }

  /** An image's labels, or null when the local Docker does not have it. */
  async imageLabels(ref: string): Promise<Record<string, string> | null> {
    const info = await this.inspectImage(ref);
    return info ? ((info.Config?.Labels as Record<string, string> | null) ?? {}) : null;
  }

  /** Any local image (the smallest), for probes that need one; null when there is none. */
  async smallestLocalImage(): Promise<string | null> {
    const d = await this.client();
    const images = await d.listImages();
    const tagged = images.filter((i) => (i.RepoTags ?? []).some((t) => t !== '<none>:<none>')).sort((a, b) => a.Size - b.Size);
    return tagged[0]?.RepoTags?.find((t) => t !== '<none>:<none>') ?? null;
  }

  /**
   * Starts `true` in a --privileged container of IMAGE (no network, removed
   * afterwards) and returns the daemon's error, or null when it started.
   * The probe behind the privileged-container check (kind-docker-shim.ts).
   */
  async privilegedStartError(image: string, timeoutMs = 30_000): Promise<string | null> {
    const d = await this.client();
    const container = await d.createContainer({
      Image: image,
      Entrypoint: ['true'],
      Cmd: [],
      Labels: { 'dev.devenv.probe': 'privileged' },
      HostConfig: { Privileged: true, NetworkMode: 'none' },
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the privileged probe container did not start within ${timeoutMs} ms`)), timeoutMs);
      });
      await Promise.race([container.start(), timeout]);
      await Promise.race([container.wait(), timeout]);
      return null;
    } catch (err: any) {
      return String(err?.json?.message ?? err?.message ?? err);
    } finally {
      clearTimeout(timer);
      await container.remove({ force: true, v: true }).catch(() => undefined);
    }
  }

  async listVolumes(labelFilters: string[]): Promise<Array<{ name: string; labels: Record<string, string> }>> {
    const d = await this.client();
    const res = await d.listVolumes({ filters: JSON.stringify({ label: labelFilters }) } as Dockerode.VolumeListOptions);
    return (res.Volumes ?? []).map((v) => ({ name: v.Name, labels: (v.Labels as Record<string, string>) ?? {} }));
  }
}

/** DOCKER_HOST forms dockerode understands; anything else is left to docker-modem. */
function dockerodeOptions(env: NodeJS.ProcessEnv): Dockerode.DockerOptions {
  const host = env.DOCKER_HOST;
  if (!host) return { socketPath: '/var/run/docker.sock' };
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const m = /^tcp:\/\/([^:/]+):(\d+)/.exec(host);
  if (m) return { host: m[1], port: Number(m[2]), protocol: env.DOCKER_TLS_VERIFY ? 'https' : 'http' };
  return {};
}
