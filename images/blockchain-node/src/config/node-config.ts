// The node's whole configuration, read once from the environment. Every
// problem is a StartupError naming the variable and what is wrong with it.
import { existsSync, readFileSync } from 'node:fs';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { dirname, resolve } from 'node:path';
import { MAX_BITS, MIN_BITS } from '../chain/pow.ts';
import { MAX_TARGET_SECONDS, MIN_TARGET_SECONDS } from '../chain/retarget.ts';
import type { LogLevel } from '../log.ts';
import { parseLogLevel } from '../log.ts';
import {
  advertisedAddress,
  chainPeerForPod,
  deriveInstance,
  parseHostPort,
  type HostPort,
  type InstanceSource,
} from './identity.ts';
import { StartupError } from './startup-error.ts';

export type Role = 'miner' | 'webserver' | 'relay';

export interface NodeConfig {
  role: Role;
  instance: number;
  instanceSource: InstanceSource;
  p2p: HostPort;
  http: HostPort;
  advertise: string;
  /** NODE_CONNECT_NODES=local and no derived upstream: creates genesis when empty. */
  seed: boolean;
  peers: string[];
  dataDir: string;
  walletFile: string;
  walletDir: string;
  /** For a new genesis block only: a chain's difficulty is fixed by its genesis. */
  difficultyBits: number;
  difficultyBitsGiven: boolean;
  /** For a new genesis block only: the interval the chain retargets toward, fixed by its genesis. */
  blockTargetSeconds: number;
  blockTargetSecondsGiven: boolean;
  dutyCycle: number;
  miningAddress?: string;
  addressPool?: string;
  adminKey?: string;
  walletKey?: string;
  rateLimitSettingsPath?: string;
  logLevel: LogLevel;
  maxMessageBytes: number;
}

export const DEFAULT_DIFFICULTY_BITS = 20;
export const DEFAULT_DUTY_CYCLE = 0.25;
export const DEFAULT_BLOCK_TARGET_SECONDS = 5;
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
const K8S_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export interface Environment {
  env: Record<string, string | undefined>;
  hostname?: string;
  interfaceAddresses?: string[];
  cwd?: string;
  readNamespaceFile?: () => string | undefined;
}

export function yesNo(value: string | undefined, name: string, fallback: boolean): boolean {
  const v = value?.trim().toLowerCase();
  if (!v) return fallback;
  if (['yes', 'y', 'true', '1', 'on'].includes(v)) return true;
  if (['no', 'n', 'false', '0', 'off'].includes(v)) return false;
  throw new StartupError(`${name} must be "yes" or "no", got "${value}"`);
}

function numberIn(value: string | undefined, name: string, fallback: number, min: number, max: number, integer: boolean): number {
  if (!value?.trim()) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new StartupError(`${name} must be ${integer ? 'a whole number' : 'a number'} between ${min} and ${max}, got "${value}"`);
  }
  return n;
}

export function roleFrom(env: Record<string, string | undefined>): Role {
  const miner = yesNo(env.NODE_IS_MINER, 'NODE_IS_MINER', false);
  const web = yesNo(env.NODE_IS_WEB_SERVER, 'NODE_IS_WEB_SERVER', true);
  if (miner && web) {
    throw new StartupError('NODE_IS_MINER and NODE_IS_WEB_SERVER are both "yes": a node is a miner or a webserver, not both');
  }
  return miner ? 'miner' : web ? 'webserver' : 'relay';
}

const nonEmpty = (v: string | undefined): string | undefined => (v?.trim() ? v.trim() : undefined);

export function loadConfig(input: Environment): NodeConfig {
  const env = input.env;
  const host = input.hostname ?? osHostname();
  const cwd = input.cwd ?? process.cwd();
  const role = roleFrom(env);
  const { instance, source } = deriveInstance({
    instanceNumber: env.INSTANCE_NUMBER,
    podName: env.POD_NAME,
    names: [env.CONTAINER_NAME, host],
  });
  const p2p = parseHostPort(env.NODE_ADDR || '0.0.0.0:2001', 'NODE_ADDR');
  const http = parseHostPort(env.NODE_HTTP_ADDR || '0.0.0.0:8080', 'NODE_HTTP_ADDR');

  const connect = (env.NODE_CONNECT_NODES ?? 'local').trim() || 'local';
  let peers: string[] = [];
  let seed = false;
  if (connect === 'local') {
    const upstream =
      role === 'miner' && env.POD_NAME
        ? chainPeerForPod({
            podName: env.POD_NAME,
            namespace: podNamespace(env, input.readNamespaceFile),
            headlessService: env.NODE_HEADLESS_SERVICE?.trim() || 'miner-headless',
            clusterDomain: env.NODE_CLUSTER_DOMAIN?.trim() || 'cluster.local',
            port: p2p.port,
          })
        : null;
    if (upstream) peers = [upstream];
    else seed = true;
  } else {
    peers = connect
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const p of peers) parseHostPort(p, 'NODE_CONNECT_NODES entry');
  }

  const walletFile = resolve(cwd, env.WALLET_FILE?.trim() || 'wallets/wallets.dat');
  return {
    role,
    instance,
    instanceSource: source,
    p2p,
    http,
    advertise: advertisedAddress({
      explicit: env.NODE_ADVERTISE_ADDR,
      bind: p2p,
      podIp: env.POD_IP,
      interfaceAddresses: input.interfaceAddresses ?? localAddresses(),
      hostname: host,
    }),
    seed,
    peers,
    dataDir: resolve(cwd, env.NODE_DATA_DIR?.trim() || 'data'),
    walletFile,
    walletDir: dirname(walletFile),
    difficultyBits: numberIn(env.NODE_DIFFICULTY_BITS, 'NODE_DIFFICULTY_BITS', DEFAULT_DIFFICULTY_BITS, MIN_BITS, MAX_BITS, true),
    difficultyBitsGiven: !!env.NODE_DIFFICULTY_BITS?.trim(),
    blockTargetSeconds: numberIn(env.BLOCK_TARGET_SECONDS, 'BLOCK_TARGET_SECONDS', DEFAULT_BLOCK_TARGET_SECONDS, MIN_TARGET_SECONDS, MAX_TARGET_SECONDS, true),
    blockTargetSecondsGiven: !!env.BLOCK_TARGET_SECONDS?.trim(),
    dutyCycle: numberIn(env.NODE_MINING_DUTY_CYCLE, 'NODE_MINING_DUTY_CYCLE', DEFAULT_DUTY_CYCLE, 0.01, 1, false),
    miningAddress: nonEmpty(env.NODE_MINING_ADDRESS),
    addressPool: nonEmpty(env.WALLET_ADDRESS_POOL),
    adminKey: nonEmpty(env.BITCOIN_API_ADMIN_KEY),
    walletKey: nonEmpty(env.BITCOIN_API_WALLET_KEY),
    rateLimitSettingsPath: nonEmpty(env.RL_SETTINGS_PATH),
    logLevel: parseLogLevel(env.LOG_LEVEL),
    maxMessageBytes: numberIn(env.NODE_MAX_MESSAGE_BYTES, 'NODE_MAX_MESSAGE_BYTES', DEFAULT_MAX_MESSAGE_BYTES, 1024, 256 * 1024 * 1024, true),
  };
}

function podNamespace(env: Record<string, string | undefined>, readFile = readNamespaceFile): string {
  const ns = env.POD_NAMESPACE?.trim() || readFile()?.trim();
  if (!ns) {
    throw new StartupError(
      'POD_NAME has an ordinal > 0 and NODE_CONNECT_NODES=local, so this miner peers with the previous pod, ' +
        'but its namespace is unknown: set POD_NAMESPACE (fieldRef metadata.namespace)',
    );
  }
  return ns;
}

function readNamespaceFile(): string | undefined {
  return existsSync(K8S_NAMESPACE_FILE) ? readFileSync(K8S_NAMESPACE_FILE, 'utf8') : undefined;
}

function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && a.family === 'IPv4')
    .map((a) => a!.address);
}
