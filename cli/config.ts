// devenv.yaml: optional, at the repository root (or --config FILE). Unknown
// keys and wrong types are usage errors that name the file, the line and the
// allowed keys. Environment variables override images and ports, so CI and
// offline machines can point devenv at local images without editing files.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseLocatedYaml, type LNode } from './manifests/located-yaml.ts';
import { usageError } from './errors.ts';

export interface DevenvConfig {
  /** Directory paths below are relative to. */
  root: string;
  /** The file read, or null when defaults are used. */
  file: string | null;
  clusterName: string;
  namespace: string;
  image: { name: string; context: string; dockerfile: string };
  /**
   * kindNode: `kind create cluster --image` ('' = kind's default);
   * metricsServer: the metrics-server addon's image ('' = the addon manifest's,
   * or the one a devenv-built kind node image preloads).
   */
  images: { nodeBase: string; redis: string; kindNode: string; metricsServer: string };
  compose: { file: string; project: string };
  manifests: string;
  ports: { api: number; webserverP2p: number; miner1P2p: number; miner2P2p: number; redis: number };
  /**
   * The host ports the kind cluster publishes (`k8s.ports` in devenv.yaml).
   * Unset: the Compose ports when they are free at cluster creation, else (the
   * Compose network holds them) the side-by-side set (cli/k8s/kind-ports.ts).
   * kind fixes a cluster's port mappings when it creates it.
   */
  k8s: { ports: { api?: number; webserverP2p?: number } };
}

type Kind = 'string' | 'port' | 'kindName' | 'dnsLabel' | { [key: string]: Kind };

const SCHEMA: { [key: string]: Kind } = {
  clusterName: 'kindName',
  namespace: 'dnsLabel',
  image: { name: 'string', context: 'string', dockerfile: 'string' },
  images: { nodeBase: 'string', redis: 'string', kindNode: 'string', metricsServer: 'string' },
  compose: { file: 'string', project: 'string' },
  manifests: 'string',
  ports: { api: 'port', webserverP2p: 'port', miner1P2p: 'port', miner2P2p: 'port', redis: 'port' },
  k8s: { ports: { api: 'port', webserverP2p: 'port' } },
};

const CONFIG_FILE_NAME = 'devenv.yaml';

export function defaultConfig(root: string): DevenvConfig {
  return {
    root,
    file: null,
    clusterName: 'devenv',
    namespace: 'blockchain',
    image: { name: 'blockchain-node', context: 'images/blockchain-node', dockerfile: 'Dockerfile' },
    images: { nodeBase: 'node:20-bookworm-slim', redis: 'redis:7-alpine', kindNode: '', metricsServer: '' },
    compose: { file: 'compose/docker-compose.yml', project: 'devenv' },
    manifests: 'manifests',
    ports: { api: 8080, webserverP2p: 2101, miner1P2p: 2001, miner2P2p: 2002, redis: 6379 },
    k8s: { ports: {} },
  };
}

/** Environment overrides, named as the Compose file and the image scripts name them. */
const ENV_OVERRIDES = {
  NODE_IMAGE: 'images.nodeBase',
  REDIS_IMAGE: 'images.redis',
  DEVENV_KIND_NODE_IMAGE: 'images.kindNode',
  DEVENV_METRICS_SERVER_IMAGE: 'images.metricsServer',
  DEVENV_API_PORT: 'ports.api',
  DEVENV_WEBSERVER_P2P_PORT: 'ports.webserverP2p',
  DEVENV_MINER1_P2P_PORT: 'ports.miner1P2p',
  DEVENV_MINER2_P2P_PORT: 'ports.miner2P2p',
  DEVENV_REDIS_PORT: 'ports.redis',
  DEVENV_K8S_API_PORT: 'k8s.ports.api',
  DEVENV_K8S_WEBSERVER_P2P_PORT: 'k8s.ports.webserverP2p',
} as const;

function validate(node: LNode | undefined, schema: { [key: string]: Kind }, path: string, file: string, out: Record<string, unknown>) {
  if (node?.kind !== 'map') {
    throw usageError(`${path ? '\`' + path + '\`' : 'the top level'} must be a mapping of keys.`, `allowed keys: ${Object.keys(schema).join(', ')}.`, { file, line: node?.loc.line });
  }
  for (const [key, value] of node.entries) {
    const where = { file, line: node.keyLocs.get(key)?.line };
    const dotted = path ? `${path}.${key}` : key;
    const kind = schema[key];
    if (kind === undefined) {
      throw usageError(`unknown key \`${dotted}\`.`, `remove or rename it; allowed keys${path ? ` under \`${path}\`` : ''}: ${Object.keys(schema).join(', ')}.`, where);
    }
    if (typeof kind === 'object') {
      const sub: Record<string, unknown> = {};
      validate(value, kind, dotted, file, sub);
      out[key] = sub;
      continue;
    }
    const v = value.kind === 'scalar' && value.value !== null ? value.value : undefined;
    const vWhere = { file, line: value.loc.line ?? where.line };
    if (kind === 'string') {
      if (typeof v !== 'string' || v === '') throw usageError(`\`${dotted}\` must be a non-empty string.`, `write it as \`${key}: some-value\`.`, vWhere);
      out[key] = v;
    } else if (kind === 'kindName' || kind === 'dnsLabel') {
      // kind accepts ^[a-z0-9.-]+$ for cluster names; a namespace is an RFC 1123 label.
      const ok = typeof v === 'string' && (kind === 'kindName' ? /^[a-z0-9.-]{1,63}$/.test(v) : /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v));
      if (!ok) {
        throw usageError(
          `\`${dotted}\` must be ${kind === 'kindName' ? 'a kind cluster name (lower-case letters, digits, `.` and `-`)' : 'a Kubernetes namespace name (lower-case letters, digits and `-`, starting and ending with a letter or digit, at most 63)'}, not ${JSON.stringify(v ?? null)}.`,
          `write it as \`${key}: ${kind === 'kindName' ? 'devenv' : 'blockchain'}\`.`,
          vWhere,
        );
      }
      out[key] = v;
    } else if (kind === 'port') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
        throw usageError(`\`${dotted}\` must be a TCP port number (1-65535), not ${JSON.stringify(v ?? null)}.`, `write it as \`${key}: 8080\`.`, vWhere);
      }
      out[key] = v;
    }
  }
}

function merge<T>(base: T, over: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? merge(out[k], v as Record<string, unknown>) : v;
  }
  return out as T;
}

function setPath(obj: Record<string, any>, dotted: string, value: unknown) {
  const parts = dotted.split('.');
  let o = obj;
  for (const p of parts.slice(0, -1)) o = o[p];
  o[parts[parts.length - 1]] = value;
}

export function parseConfigText(text: string, file: string, root: string): DevenvConfig {
  // The one located-YAML reader (a syntax error is a usage error with its line).
  const docs = parseLocatedYaml(text, file);
  const cfg = defaultConfig(root);
  if (docs.length === 0) return { ...cfg, file };
  if (docs.length > 1) throw usageError('devenv.yaml holds more than one YAML document.', 'keep one (remove the `---` separator and what follows it, or merge the keys).', docs[1].loc);
  const over: Record<string, unknown> = {};
  validate(docs[0], SCHEMA, '', file, over);
  return { ...merge(cfg, over), file, root };
}

export function applyEnvOverrides(cfg: DevenvConfig, env: NodeJS.ProcessEnv): DevenvConfig {
  const out = structuredClone(cfg);
  for (const [name, path] of Object.entries(ENV_OVERRIDES)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    if (path.includes('ports.')) {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw usageError(`environment variable ${name}=${v} is not a TCP port number.`, `set ${name} to a number between 1 and 65535, or unset it.`);
      setPath(out as any, path, n);
    } else setPath(out as any, path, v);
  }
  return out;
}

/** Loads --config FILE, else ./devenv.yaml when present, else defaults; then applies env overrides. */
export function loadConfig(opts: { configPath?: string; cwd: string; env: NodeJS.ProcessEnv }): DevenvConfig {
  const env = opts.env;
  let cfg: DevenvConfig;
  if (opts.configPath) {
    const file = resolve(opts.cwd, opts.configPath);
    if (!existsSync(file)) throw usageError(`config file ${opts.configPath} does not exist.`, 'pass the path of an existing devenv.yaml to --config, or omit --config to use defaults.');
    cfg = parseConfigText(readFileSync(file, 'utf8'), relative(opts.cwd, file) || file, resolve(file, '..'));
  } else {
    const file = join(opts.cwd, CONFIG_FILE_NAME);
    cfg = existsSync(file) ? parseConfigText(readFileSync(file, 'utf8'), CONFIG_FILE_NAME, opts.cwd) : defaultConfig(opts.cwd);
  }
  return checkDistinctPorts(applyEnvOverrides(cfg, env));
}

/** Two services on one host port would fail halfway through `up`; say so before anything starts. */
function checkDistinctPorts(cfg: DevenvConfig): DevenvConfig {
  const seen = new Map<number, string>();
  for (const [key, port] of Object.entries(cfg.ports)) {
    const other = seen.get(port);
    if (other) {
      throw usageError(`ports.${other} and ports.${key} are both host port ${port}.`, 'give each a different port in devenv.yaml (ports:) or with the DEVENV_*_PORT environment variables.', cfg.file ? { file: cfg.file } : undefined);
    }
    seen.set(port, key);
  }
  return cfg;
}

/** Absolute path of a config path (relative to the config's root). */
export function configPath(cfg: DevenvConfig, p: string): string {
  return isAbsolute(p) ? p : join(cfg.root, p);
}
