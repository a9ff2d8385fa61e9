// Reads Compose files (merged in order, like `docker compose -f a -f b`) into
// the neutral topology. Interpolation uses the shell environment and the
// project's .env file, as `docker compose` does. Keys this loader does not
// model are reported (kompose's checkUnsupportedKey), never silently dropped.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { usageError } from '../errors.ts';
import { bool, entries, get, items, keyLoc, num, parseLocatedYaml, str, type LMap, type LNode } from '../manifests/located-yaml.ts';
import { interpolate, InterpolationSyntaxError, type VarSource } from './compose/interpolate.ts';
import { parseEnvFile } from '../env-file.ts';
import { dependsOnToMap, keyedListToMap, mergeComposeFiles } from './compose/merge.ts';
import { parseLongPort, parseShortPort, type PortSpec } from './compose/ports.ts';
import { parseHealthcheck, splitShellWords } from './compose/healthcheck.ts';
import type { BuildSpec, ContainerPort, Dependency, EnvVar, Exposure, Fact, Loc, Mount, Resources, Security, Topology, Unsupported, Workload } from './model.ts';
import { parseComposeBytes, parseCpu, parseDuration } from './units.ts';

export interface ComposeLoadOptions {
  files: string[];
  /** --env-file; default: .env next to the first Compose file (when present). */
  envFile?: string;
  environment: Record<string, string | undefined>;
  /** Active profiles (in addition to COMPOSE_PROFILES). */
  profiles?: string[];
  cwd: string;
}

export interface ComposeTopology extends Topology {
  platform: 'compose';
  project?: string;
  envFile: string | null;
}

// Keys read into the model; the rest of a service is reported as not compared.
const MODELLED = new Set([
  'image', 'build', 'hostname', 'container_name', 'environment', 'env_file', 'ports', 'expose', 'volumes', 'tmpfs',
  'healthcheck', 'depends_on', 'deploy', 'scale', 'restart', 'profiles', 'command', 'entrypoint', 'networks',
  'mem_limit', 'mem_reservation', 'cpus', 'configs', 'secrets', 'stop_grace_period',
  'cap_add', 'cap_drop', 'read_only', 'user', 'privileged',
]);
// Keys with no runtime meaning a migration has to keep.
const IGNORED = new Set(['labels', 'logging', 'pull_policy', 'platform', 'tty', 'stdin_open', 'develop', 'annotations', 'attach']);
const TOP_LEVEL = new Set(['name', 'version', 'services', 'volumes', 'networks', 'configs', 'secrets', 'include', 'models']);

function display(cwd: string, p: string): string {
  const r = relative(cwd, p);
  return r && !r.startsWith('..') ? r : p;
}

/** Interpolates every string scalar in place; remembers what each one was written as. */
function interpolateTree(node: LNode, src: VarSource): void {
  if (node.kind === 'map') {
    for (const v of node.entries.values()) interpolateTree(v, src);
    return;
  }
  if (node.kind === 'seq') {
    for (const v of node.items) interpolateTree(v, src);
    return;
  }
  if (typeof node.value !== 'string' || !node.value.includes('$')) return;
  const raw = node.value;
  try {
    const r = interpolate(raw, src);
    node.value = r.value;
    if (r.vars.length || r.missingRequired) node.interpolation = { raw, vars: r.vars, missing: r.missingRequired };
  } catch (e) {
    if (e instanceof InterpolationSyntaxError) throw usageError(e.message, 'write variables as ${NAME}, ${NAME:-default} or ${NAME:?message}; a literal $ is $$.', node.loc);
    throw e;
  }
}

/**
 * The project's .env as Compose reads it: unquoted and double-quoted values
 * are interpolated (`${VAR}`, `${VAR:-default}`, ...) from the shell
 * environment, then from the variables the file set above; single-quoted
 * values are literal.
 */
function interpolateDotEnv(text: string, environment: Record<string, string | undefined>, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of parseEnvFile(text).entries) {
    if (e.quote === "'" || !e.value.includes('$')) {
      out[e.key] = e.value;
      continue;
    }
    try {
      out[e.key] = interpolate(e.value, { environment, envFile: { ...out } }).value;
    } catch (err) {
      if (err instanceof InterpolationSyntaxError) throw usageError(err.message, 'write variables as ${NAME} or ${NAME:-default}; quote the value with single quotes to keep a literal $.', { file, line: e.line });
      throw err;
    }
  }
  return out;
}

function readComposeFile(path: string, cwd: string): LMap {
  const file = display(cwd, path);
  if (!existsSync(path)) throw usageError(`Compose file ${file} does not exist.`, 'pass an existing file to --compose, or set compose.file in devenv.yaml.');
  const docs = parseLocatedYaml(readFileSync(path, 'utf8'), file);
  const doc = docs[0];
  if (!doc) return { kind: 'map', entries: new Map(), keyLocs: new Map(), loc: { file, line: 1 } };
  if (doc.kind !== 'map') throw usageError('a Compose file must be a mapping with a `services` key.', 'start the file with `services:`.', doc.loc);
  return doc;
}

function words(node: LNode | undefined): string[] | undefined {
  if (!node) return undefined;
  if (node.kind === 'seq') return items(node).map((i) => str(i) ?? '');
  const s = str(node);
  return s === undefined ? undefined : splitShellWords(s);
}

export function loadCompose(opts: ComposeLoadOptions): ComposeTopology {
  if (opts.files.length === 0) throw usageError('no Compose file given.', 'pass --compose FILE.');
  const abs = opts.files.map((f) => (isAbsolute(f) ? f : resolve(opts.cwd, f)));
  const projectDir = dirname(abs[0]);
  const envPath = opts.envFile ? resolve(opts.cwd, opts.envFile) : resolve(projectDir, '.env');
  if (opts.envFile && !existsSync(envPath)) throw usageError(`env file ${opts.envFile} does not exist.`, 'pass an existing file to --env-file, or omit it to use .env next to the Compose file.');
  const envFile = existsSync(envPath) ? interpolateDotEnv(readFileSync(envPath, 'utf8'), opts.environment, display(opts.cwd, envPath)) : {};
  const src: VarSource = { environment: opts.environment, envFile };
  const docs = abs.map((f) => {
    const d = readComposeFile(f, opts.cwd);
    interpolateTree(d, src);
    return d;
  });
  const root = mergeComposeFiles(docs);
  const files = [...abs.map((f) => display(opts.cwd, f)), ...(existsSync(envPath) ? [display(opts.cwd, envPath)] : [])];
  const unsupported: Unsupported[] = [];

  for (const [key, , loc] of entries(root)) {
    if (!TOP_LEVEL.has(key) && !key.startsWith('x-')) unsupported.push({ key, message: `top-level key \`${key}\` is not part of the Compose Specification and was not compared.`, severity: 'warn', loc });
    if (key === 'include') unsupported.push({ key, message: '`include` is not followed by migrate-check; pass the included files with --compose instead.', severity: 'warn', loc });
  }

  const services = get(root, 'services');
  if (!services || services.kind !== 'map') {
    throw usageError('the Compose file has no `services` mapping.', 'add a `services:` section.', root.loc);
  }
  const activeProfiles = new Set([...(opts.profiles ?? []), ...(opts.environment.COMPOSE_PROFILES ?? '').split(',').map((s) => s.trim()).filter(Boolean)]);
  const declaredVolumes = get(root, 'volumes');
  const ctx: Ctx = { cwd: opts.cwd, projectDir, root, declaredVolumes, unsupported, home: opts.environment.HOME };

  const workloads: Workload[] = [];
  for (const [name, svc, loc] of entries(services)) {
    if (svc.kind !== 'map') throw usageError(`service \`${name}\` must be a mapping.`, 'give the service at least an `image:`.', loc);
    const profiles = items(get(svc, 'profiles')).map((p) => str(p) ?? '');
    if (profiles.length && !profiles.some((p) => activeProfiles.has(p) || activeProfiles.has('*'))) {
      unsupported.push({ key: 'profiles', service: name, message: `service \`${name}\` is only in profile(s) ${profiles.join(', ')}, which are not active; it was not compared (activate with COMPOSE_PROFILES).`, severity: 'info', loc });
      continue;
    }
    workloads.push(loadService(name, svc, loc, ctx));
  }
  markSharedVolumes(workloads);

  // A required variable nobody set: Compose would refuse to start. Values in
  // `environment` are compared as "supplied from outside"; anywhere else it matters.
  const reported = new Set<string>();
  const walk = (n: LNode, inEnv: boolean) => {
    if (n.kind === 'map') for (const [k, v] of n.entries) walk(v, inEnv || k === 'environment');
    else if (n.kind === 'seq') for (const v of n.items) walk(v, inEnv);
    else {
      const i = n.interpolation;
      if (i?.missing && !inEnv && !reported.has(i.missing)) {
        reported.add(i.missing);
        unsupported.push({ key: 'interpolation', message: `required variable ${i.missing} (unset; compared as empty).`, severity: 'warn', loc: n.loc });
      }
    }
  };
  walk(services, false);

  return {
    platform: 'compose',
    project: str(get(root, 'name')),
    envFile: existsSync(envPath) ? display(opts.cwd, envPath) : null,
    workloads,
    networkNames: [],
    configData: [],
    platformObjects: [],
    unsupported,
    files,
  };
}

interface Ctx {
  cwd: string;
  projectDir: string;
  root: LMap;
  declaredVolumes: LNode | undefined;
  unsupported: Unsupported[];
  home?: string;
}

function loadService(name: string, svc: LMap, loc: Loc, ctx: Ctx): Workload {
  const at = (key: string): Loc => keyLoc(svc, key) ?? loc;
  for (const [key, , kloc] of entries(svc)) {
    if (MODELLED.has(key) || IGNORED.has(key) || key.startsWith('x-')) continue;
    ctx.unsupported.push({ key, service: name, message: `\`${key}\` of service \`${name}\` is not compared by migrate-check; check its Kubernetes equivalent by hand.`, severity: 'warn', loc: kloc });
  }
  const deploy = get(svc, 'deploy');
  for (const [key, , kloc] of entries(deploy)) {
    if (!['replicas', 'resources', 'restart_policy', 'mode', 'labels'].includes(key)) {
      ctx.unsupported.push({ key: `deploy.${key}`, service: name, message: `\`deploy.${key}\` of service \`${name}\` is not compared.`, severity: 'warn', loc: kloc });
    }
  }
  const replicasNode = get(deploy, 'replicas') ?? get(svc, 'scale');
  const replicas = replicasNode ? num(replicasNode) : 1;
  if (replicas === undefined || !Number.isInteger(replicas) || replicas < 0) {
    throw usageError(`replicas of service \`${name}\` must be a whole number.`, 'write e.g. `deploy: { replicas: 2 }`.', replicasNode!.loc);
  }
  const imageNode = get(svc, 'image');
  const buildNode = get(svc, 'build');
  // With `build:` and no `image:`, what runs is what the build makes: no image name is invented.
  const image = str(imageNode) ?? '';
  if (!image && !buildNode) throw usageError(`service \`${name}\` has neither \`image\` nor \`build\`.`, 'add `image:` (or `build:`).', loc);

  const dnsNames = [name];
  const containerName = str(get(svc, 'container_name'));
  if (containerName) dnsNames.push(containerName);
  for (const [, net] of entries(get(svc, 'networks'))) for (const a of items(get(net, 'aliases'))) if (str(a)) dnsNames.push(str(a)!);

  const { ports, exposures } = loadPorts(name, svc);
  const restartNode = get(svc, 'restart');
  const policyNode = getRestartPolicy(deploy);
  const restart = restartNode ? { value: str(restartNode) ?? 'no', loc: restartNode.loc } : policyNode ?? { value: 'no', loc };

  const stop = get(svc, 'stop_grace_period');
  const health = parseHealthcheck(get(svc, 'healthcheck'));
  return {
    name,
    kind: 'compose-service',
    loc,
    replicas: { value: replicas, loc: replicasNode?.loc ?? loc },
    image: { value: image, loc: imageNode?.loc ?? at('build') },
    command: words(get(svc, 'command')) ? { value: words(get(svc, 'command'))!, loc: at('command') } : undefined,
    dnsNames,
    ports,
    exposures,
    env: loadEnv(name, svc, ctx),
    storage: loadVolumes(name, svc, replicas, ctx),
    health: health ? [health] : [],
    dependencies: loadDependsOn(svc),
    resources: loadResources(svc, deploy),
    restart,
    stopGraceSeconds: stop ? { value: parseDuration(str(stop)) ?? 10, loc: stop.loc } : undefined,
    entrypoint: words(get(svc, 'entrypoint')) ? { value: words(get(svc, 'entrypoint'))!, loc: at('entrypoint') } : undefined,
    profiles: items(get(svc, 'profiles')).map((p) => str(p) ?? ''),
    build: buildNode ? loadBuild(buildNode, ctx) : undefined,
    security: loadSecurity(svc),
    networks: loadNetworks(svc, loc),
  };
}

/** `FROM image [AS name]` lines of a Dockerfile: the stage names (or indexes) in order. */
export function dockerfileStages(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*\S+(?:[ \t]+AS[ \t]+(\S+))?/gim)) out.push(m[1] ?? String(out.length));
  return out;
}

function loadBuild(node: LNode, ctx: Ctx): BuildSpec {
  const context = resolve(ctx.projectDir, (node.kind === 'map' ? str(get(node, 'context')) : str(node)) ?? '.');
  const dockerfile = resolve(context, (node.kind === 'map' ? str(get(node, 'dockerfile')) : undefined) ?? 'Dockerfile');
  const targetNode = node.kind === 'map' ? get(node, 'target') : undefined;
  const inline = node.kind === 'map' ? str(get(node, 'dockerfile_inline')) : undefined;
  let stages: string[] | null = null;
  try {
    stages = dockerfileStages(inline ?? readFileSync(dockerfile, 'utf8'));
  } catch {
    // A context elsewhere (a git URL, a file not checked out): the stages are unknown.
  }
  return {
    context: display(ctx.cwd, context),
    dockerfile: inline !== undefined ? 'dockerfile_inline' : display(ctx.cwd, dockerfile),
    target: str(targetNode) ? { value: str(targetNode)!, loc: targetNode!.loc } : undefined,
    stages,
    loc: node.loc,
  };
}

const capability = (s: string) => s.trim().toUpperCase().replace(/^CAP_/, '');

function loadSecurity(svc: LMap): Security {
  const list = (key: string): Fact<string[]> | undefined => {
    const n = get(svc, key);
    return n ? { value: items(n).map((i) => capability(str(i) ?? '')), loc: n.loc } : undefined;
  };
  const flag = (key: string): Fact<boolean> | undefined => {
    const n = get(svc, key);
    return n && bool(n) !== undefined ? { value: bool(n)!, loc: n.loc } : undefined;
  };
  const userNode = get(svc, 'user');
  const [user, group] = (str(userNode) ?? '').split(':');
  return {
    capAdd: list('cap_add'),
    capDrop: list('cap_drop'),
    readOnlyRootFs: flag('read_only'),
    privileged: flag('privileged'),
    user: user ? { value: user, loc: userNode!.loc } : undefined,
    group: group ? { value: group, loc: userNode!.loc } : undefined,
  };
}

function loadNetworks(svc: LMap, loc: Loc): Fact<string[]> {
  const n = get(svc, 'networks');
  if (!n) return { value: ['default'], loc };
  const names = n.kind === 'seq' ? items(n).map((i) => str(i) ?? '') : entries(n).map(([k]) => k);
  return { value: names, loc: keyLoc(svc, 'networks') ?? n.loc };
}

function getRestartPolicy(deploy: LNode | undefined) {
  const cond = get(get(deploy, 'restart_policy'), 'condition');
  if (!cond) return undefined;
  const v = str(cond);
  return { value: v === 'any' ? 'always' : v === 'none' ? 'no' : v ?? 'no', loc: cond.loc };
}

function loadPorts(name: string, svc: LMap): { ports: ContainerPort[]; exposures: Exposure[] } {
  const ports: ContainerPort[] = [];
  const exposures: Exposure[] = [];
  const addPort = (p: number, protocol: PortSpec['protocol'], loc: Loc) => {
    if (!ports.some((x) => x.port === p && x.protocol === protocol)) ports.push({ port: p, protocol, loc });
  };
  for (const item of items(get(svc, 'ports'))) {
    let specs: PortSpec[] | string;
    if (item.kind === 'map') {
      specs = parseLongPort({ target: str(get(item, 'target')), published: str(get(item, 'published')), host_ip: str(get(item, 'host_ip')), protocol: str(get(item, 'protocol')) });
    } else {
      specs = parseShortPort(str(item) ?? '');
    }
    if (typeof specs === 'string') throw usageError(`port "${str(item) ?? '(mapping)'}" of service \`${name}\`: ${specs}.`, 'write ports as "HOST:CONTAINER" (e.g. "2101:2001") or the long syntax with `target:`.', item.loc);
    for (const s of specs) {
      addPort(s.target, s.protocol, item.loc);
      if (s.published !== null) exposures.push({ kind: 'host-publish', port: s.published, targetPort: s.target, protocol: s.protocol, hostIp: s.hostIp, loc: item.loc });
    }
  }
  for (const item of items(get(svc, 'expose'))) {
    const specs = parseShortPort(str(item) ?? '');
    if (typeof specs === 'string') throw usageError(`expose "${str(item)}" of service \`${name}\`: ${specs}.`, 'write container ports, e.g. "8080".', item.loc);
    for (const s of specs) addPort(s.target, s.protocol, item.loc);
  }
  return { ports, exposures };
}

function loadEnv(name: string, svc: LMap, ctx: Ctx): EnvVar[] {
  const out = new Map<string, EnvVar>();
  const envFiles = get(svc, 'env_file');
  const fileItems = envFiles?.kind === 'seq' ? envFiles.items : envFiles ? [envFiles] : [];
  for (const item of fileItems) {
    const p = item.kind === 'map' ? str(get(item, 'path')) : str(item);
    const required = item.kind === 'map' ? bool(get(item, 'required')) !== false : true;
    if (!p) continue;
    const absPath = resolve(ctx.projectDir, p);
    const file = display(ctx.cwd, absPath);
    if (!existsSync(absPath)) {
      if (required) ctx.unsupported.push({ key: 'env_file', service: name, message: `env_file ${file} of service \`${name}\` does not exist; its variables were not compared.`, severity: 'warn', loc: item.loc });
      continue;
    }
    const parsed = parseEnvFile(readFileSync(absPath, 'utf8'));
    for (const [k, v] of parsed.values) {
      out.set(k, { name: k, value: { kind: 'literal', value: v }, loc: { file, line: parsed.lines.get(k)! }, via: `env_file ${file}` });
    }
  }
  const envNode = get(svc, 'environment');
  const env = envNode ? keyedListToMap(envNode) : undefined;
  for (const [k, v, kloc] of entries(env)) {
    const loc = v.loc.line ? v.loc : kloc;
    if (v.kind !== 'scalar') throw usageError(`environment variable ${k} of service \`${name}\` must be a string.`, 'quote the value.', loc);
    if (v.value === null) {
      // `- KEY` / `KEY:` passes the shell's value through, or nothing at all.
      out.set(k, { name: k, value: { kind: 'interpolation', value: '', raw: `$${k}`, vars: [{ name: k, source: 'unset', required: false }], unresolved: true }, loc });
      continue;
    }
    const value = typeof v.value === 'boolean' || typeof v.value === 'number' ? String(v.value) : v.value;
    const i = v.interpolation;
    if (i) out.set(k, { name: k, value: { kind: 'interpolation', value, raw: i.raw, vars: i.vars, unresolved: i.missing !== null }, loc });
    else out.set(k, { name: k, value: { kind: 'literal', value }, loc });
  }
  return [...out.values()];
}

function loadVolumes(name: string, svc: LMap, replicas: number, ctx: Ctx): Mount[] {
  const mounts: Mount[] = [];
  for (const item of items(get(svc, 'volumes'))) {
    let type: string;
    let source: string | undefined;
    let target: string | undefined;
    let readOnly = false;
    if (item.kind === 'map') {
      type = str(get(item, 'type')) ?? 'volume';
      source = str(get(item, 'source'));
      target = str(get(item, 'target'));
      readOnly = bool(get(item, 'read_only')) === true;
    } else {
      const text = str(item) ?? '';
      const parts = text.split(':');
      if (parts.length === 1) [target] = parts;
      else {
        [source, target] = parts;
        readOnly = (parts[2] ?? '').split(',').includes('ro');
      }
      type = source === undefined ? 'volume' : /^[./~]/.test(source) ? 'bind' : 'volume';
    }
    if (!target) throw usageError(`a volume of service \`${name}\` has no container path.`, 'write "SOURCE:/container/path" or the long syntax with `target:`.', item.loc);
    mounts.push(volumeMount(name, type, source, target, readOnly, replicas, item.loc, ctx));
  }
  for (const item of items(get(svc, 'tmpfs'))) {
    const target = (str(item) ?? '').split(':')[0];
    mounts.push({ target, kind: 'ephemeral', source: 'tmpfs', readOnly: false, loc: item.loc });
  }
  const tmpfs = get(svc, 'tmpfs');
  if (tmpfs?.kind === 'scalar' && tmpfs.value !== null) mounts.push({ target: String(tmpfs.value).split(':')[0], kind: 'ephemeral', source: 'tmpfs', readOnly: false, loc: tmpfs.loc });
  for (const kind of ['configs', 'secrets'] as const) {
    for (const item of items(get(svc, kind))) {
      const src = item.kind === 'map' ? str(get(item, 'source')) : str(item);
      if (!src) continue;
      const dflt = kind === 'secrets' ? `/run/secrets/${src}` : `/${src}`;
      const target = (item.kind === 'map' ? str(get(item, 'target')) : undefined) ?? dflt;
      const decl = get(get(ctx.root, kind), src);
      const file = str(get(decl, 'file'));
      if (!decl) throw usageError(`service \`${name}\` uses ${kind.slice(0, -1)} \`${src}\`, which is not declared under top-level \`${kind}\`.`, `declare it: \`${kind}: { ${src}: { file: ./path } }\`.`, item.loc);
      const content = file ? readConfigFile(resolve(ctx.projectDir, file), ctx) : { text: str(get(decl, 'content')) ?? null, firstLine: get(decl, 'content')?.loc ?? decl.loc };
      mounts.push({ target, kind: 'config', source: src, readOnly: true, files: [{ path: target, content: { text: content.text, firstLine: content.firstLine, origin: file ?? `${kind}.${src}`, secret: kind === 'secrets' } }], loc: item.loc });
    }
  }
  return mounts;
}

// A configuration file is small; anything bigger is data, not compared.
const MAX_CONFIG_BYTES = 1024 * 1024;

function readConfigFile(absPath: string, ctx: Ctx): { text: string | null; firstLine: Loc; mode?: number } {
  const file = display(ctx.cwd, absPath);
  try {
    const st = statSync(absPath);
    if (st.size > MAX_CONFIG_BYTES) return { text: null, firstLine: { file }, mode: st.mode & 0o7777 };
    return { text: readFileSync(absPath, 'utf8'), firstLine: { file, line: 1 }, mode: st.mode & 0o7777 };
  } catch {
    return { text: null, firstLine: { file } };
  }
}

function volumeMount(service: string, type: string, source: string | undefined, target: string, readOnly: boolean, replicas: number, loc: Loc, ctx: Ctx): Mount {
  if (type === 'tmpfs') return { target, kind: 'ephemeral', source: 'tmpfs', readOnly, loc };
  if (type === 'bind') {
    const abs = resolve(ctx.projectDir, (source ?? '').replace(/^~(?=\/)/, ctx.home ?? '~'));
    let isFile = false;
    try {
      isFile = statSync(abs).isFile();
    } catch {
      // Compose creates a missing bind source as a directory.
    }
    if (isFile) {
      const { mode, ...content } = readConfigFile(abs, ctx);
      return { target, kind: 'config', source: display(ctx.cwd, abs), readOnly, files: [{ path: target, mode, content: { ...content, origin: display(ctx.cwd, abs), secret: false } }], loc };
    }
    return { target, kind: 'host-path', source: display(ctx.cwd, abs), readOnly, loc };
  }
  if (type !== 'volume') {
    ctx.unsupported.push({ key: 'volumes', service, message: `volume type \`${type}\` of service \`${service}\` is not compared.`, severity: 'warn', loc });
    return { target, kind: 'host-path', source: source ?? type, readOnly, loc };
  }
  if (!source) return { target, kind: 'ephemeral', source: 'anonymous volume', readOnly, loc };
  if (!get(ctx.declaredVolumes, source)) {
    throw usageError(`service \`${service}\` uses volume \`${source}\`, which is not declared under top-level \`volumes\`.`, `declare it: \`volumes: { ${source}: {} }\`, or use ./${source} for a bind mount.`, loc);
  }
  return { target, kind: replicas > 1 ? 'persistent-shared' : 'persistent-per-replica', source, readOnly, sharedBy: replicas > 1 ? Array.from({ length: replicas }, (_, i) => `${service} replica ${i + 1}`) : undefined, loc };
}

/** A named volume mounted by several services is shared, whatever each one's replica count. */
function markSharedVolumes(workloads: Workload[]): void {
  const users = new Map<string, string[]>();
  for (const w of workloads) {
    for (const m of w.storage) {
      if (m.kind !== 'persistent-per-replica' && m.kind !== 'persistent-shared') continue;
      users.set(m.source, [...(users.get(m.source) ?? []), w.name]);
    }
  }
  for (const w of workloads) {
    for (const m of w.storage) {
      const u = users.get(m.source);
      if (m.kind === 'persistent-per-replica' && u && new Set(u).size > 1) {
        m.kind = 'persistent-shared';
        m.sharedBy = [...new Set(u)];
      }
    }
  }
}

function loadDependsOn(svc: LMap): Dependency[] {
  const node = get(svc, 'depends_on');
  if (!node) return [];
  const map = dependsOnToMap(node);
  return entries(map).map(([target, v, kloc]) => {
    const c = str(get(v, 'condition')) ?? 'service_started';
    const condition = c === 'service_healthy' ? 'healthy' : c === 'service_completed_successfully' ? 'completed' : 'started';
    return { target, condition, loc: kloc } as Dependency;
  });
}

function loadResources(svc: LMap, deploy: LNode | undefined): Resources {
  const r: Resources = {};
  const res = get(deploy, 'resources');
  const pick = (node: LNode | undefined, parse: (v: string) => number | null) => {
    const s = str(node);
    const v = s === undefined ? null : parse(s);
    return v === null || !node ? undefined : { value: v, loc: node.loc };
  };
  r.cpuLimit = pick(get(get(res, 'limits'), 'cpus'), parseCpu) ?? pick(get(svc, 'cpus'), parseCpu);
  r.memoryLimit = pick(get(get(res, 'limits'), 'memory'), parseComposeBytes) ?? pick(get(svc, 'mem_limit'), parseComposeBytes);
  r.cpuRequest = pick(get(get(res, 'reservations'), 'cpus'), parseCpu);
  r.memoryRequest = pick(get(get(res, 'reservations'), 'memory'), parseComposeBytes) ?? pick(get(svc, 'mem_reservation'), parseComposeBytes);
  return r;
}
