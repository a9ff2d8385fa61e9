// What `devenv compare` observes on one side (Compose or Kubernetes), and the
// rows the two observations make. Observing is in cli/compare/observe.ts;
// this file is pure, so the verdicts are tested without a cluster.
import type { NodeHealth } from '../adapters/node-api.ts';
import type { CompareRow, Seen } from './rows.ts';
import { pairRow, row, seen, unseen } from './rows.ts';

export interface ApiProbe {
  /** What is asked, e.g. `GET /api/health/ready`. */
  name: string;
  status: number;
  /** Top-level keys of the JSON body (the envelope), sorted; null when the body is not JSON. */
  envelope: string[] | null;
  /** Keys of `data` (sorted) when it is an object. */
  dataFields: string[];
}

export interface RateLimitProbe {
  /** X-RateLimit-Limit of the first answer (null: none: the client is whitelisted or limiting is off). */
  limit: string | null;
  /** A burst of requests sent at once from one client, and how they were answered. */
  sent: number;
  ok: number;
  limited: number;
  /** Rate-limit headers on a 429 (names, sorted). */
  headersOn429: string[];
}

export interface ChainProbe {
  heightStart: number;
  heightEnd: number;
  seconds: number;
  /** The chain's block target (from its genesis), seconds. */
  targetSeconds: number | null;
  /** Median seconds between the last blocks' timestamps. */
  medianInterval: number | null;
  /** Blocks the webserver is behind the highest miner. */
  webserverLag: number | null;
}

/** One node (container or pod) as it reports itself (`blockchain-node healthcheck --json`). */
export interface RuntimeNode {
  /** Container or pod name. */
  name: string;
  /** The Compose service it is, or stands for (Kubernetes: by migrate-check's pairing). */
  logical: string;
  /** The workload it belongs to, named as Kubernetes names it on both sides (through the pairing). */
  group: string;
  /** A replica beyond those Compose runs (no Compose service is paired with it): counted, not compared. */
  extra: boolean;
  height: number | null;
  role: string | null;
  startup: string | null;
  instance: number | null;
  /** The chain's block target, as this node's chain fixes it (genesis). */
  blockTargetSeconds: number | null;
  /** Its connected peers, as logical names (unknown addresses kept as they are). */
  peers: string[] | null;
  rateLimit: { limiters: string; whitelist: string } | null;
}

export interface RestartProbe {
  node: string;
  logical: string;
  cameBack: boolean;
  caughtUp: boolean;
  /** The node's height after the restart is at least the height it had before (its store kept every block). */
  keptBlocks: boolean;
  seconds: number;
  detail: string;
}

export interface PersistenceProbe {
  heightBefore: number;
  heightAfter: number;
  /** The block at heightBefore is the same block after down and up. */
  tipKept: boolean;
  seconds: number;
}

export interface SideObservation {
  api: ApiProbe[] | Error;
  rateLimit: RateLimitProbe | Error;
  chain: ChainProbe | Error;
  nodes: RuntimeNode[] | Error;
  restart?: RestartProbe | Error;
  persistence?: PersistenceProbe | Error;
}

/**
 * Who should be connected to whom, from each side's own files (migrate-check's
 * peer graph), by logical name: each wanted peer is satisfied by any of
 * `anyOf` (a Kubernetes Service reaches any replica of its workload).
 */
export type ExpectedPeers = Map<string, Array<{ label: string; anyOf: string[] }>>;
export interface ExpectedGraphs {
  compose: ExpectedPeers;
  kubernetes: ExpectedPeers;
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

function apiRows(service: string, c: ApiProbe[] | Error, k: ApiProbe[] | Error): CompareRow[] {
  const names = [...new Set([...(c instanceof Error ? [] : c.map((p) => p.name)), ...(k instanceof Error ? [] : k.map((p) => p.name))])];
  if (names.length === 0) return [pairRow('api', service, 'API contract', { compose: c, kubernetes: k }, () => seen('?'))];
  const pick = (side: ApiProbe[] | Error, name: string): Seen => {
    if (side instanceof Error) return unseen(side.message);
    const p = side.find((x) => x.name === name);
    if (!p) return unseen('not asked');
    const shape = p.envelope === null ? 'not JSON' : `{${p.envelope.join(', ')}}${p.dataFields.length ? ` data {${p.dataFields.join(', ')}}` : ''}`;
    return seen(`${p.status} ${shape}`);
  };
  return names.map((n) => row('api', service, n, pick(c, n), pick(k, n), 'the status or the fields of the answer differ'));
}

function rateRows(service: string, c: RateLimitProbe | Error, k: RateLimitProbe | Error): CompareRow[] {
  const sides = { compose: c, kubernetes: k };
  return [
    pairRow('rate-limit', service, 'limit per client (X-RateLimit-Limit)', sides, (p) => seen(p.limit ?? 'no limit headers (whitelisted or off)'), 'the two sides limit a client differently'),
    pairRow('rate-limit', service, 'a burst from one client gets 429s', sides, (p) => seen(`${yesNo(p.limited > 0)} (${p.limited} of ${p.sent} answered 429)`, yesNo(p.limited > 0))),
    pairRow('rate-limit', service, 'headers on 429', sides, (p) => seen(p.limited === 0 ? '(no 429)' : p.headersOn429.join(', ') || '(none)')),
  ];
}

/**
 * Within a factor of 10 of the target: a young chain has not retargeted yet
 * (its first blocks come at the genesis difficulty: 1.2 s against a 5 s
 * target on kind), and a busy machine slows one side (12 s on Compose in the
 * same run); a chain stalled or racing far beyond that is off. The interval
 * itself is shown, not compared.
 */
function intervalKey(p: ChainProbe): string {
  if (p.medianInterval === null) return 'unknown';
  if (p.targetSeconds === null) return 'no target';
  return p.medianInterval <= p.targetSeconds * 10 && p.medianInterval >= p.targetSeconds / 10 ? 'near target' : 'off target';
}

function chainRows(c: ChainProbe | Error, k: ChainProbe | Error): CompareRow[] {
  const sides = { compose: c, kubernetes: k };
  return [
    pairRow('chain', '*', 'height grows', sides, (p) => seen(`${yesNo(p.heightEnd > p.heightStart)} (${p.heightStart} -> ${p.heightEnd} in ${p.seconds.toFixed(0)} s)`, yesNo(p.heightEnd > p.heightStart)), 'one side\'s chain did not grow while it was watched'),
    pairRow('chain', '*', 'block target (genesis)', sides, (p) => seen(p.targetSeconds === null ? 'none (fixed difficulty)' : `${p.targetSeconds} s`)),
    pairRow('chain', '*', 'block interval (median, last blocks)', sides, (p) => seen(`${p.medianInterval === null ? '?' : `${p.medianInterval.toFixed(1)} s`} (${intervalKey(p)})`, intervalKey(p))),
    pairRow('chain', '*', 'webserver lag behind the miners', sides, (p) => seen(p.webserverLag === null ? '?' : `${p.webserverLag} block(s)`, p.webserverLag === null ? '?' : p.webserverLag <= 2 ? 'follows' : 'lags'), 'a webserver more than 2 blocks behind its miners does not follow the chain'),
  ];
}

function byLogical(nodes: RuntimeNode[]): Map<string, RuntimeNode[]> {
  const out = new Map<string, RuntimeNode[]>();
  for (const n of nodes) out.set(n.logical, [...(out.get(n.logical) ?? []), n]);
  return out;
}

/** One value for a group of replicas: the value when they agree, else each replica's. */
function replicasSay(list: RuntimeNode[] | undefined, f: (n: RuntimeNode) => string): Seen {
  if (!list?.length) return seen('(no such node)');
  const values = list.map(f);
  if (new Set(values).size === 1) return seen(values[0]);
  const text = list.map((n, i) => `${n.name}: ${values[i]}`).join('; ');
  return seen(text);
}

function nodeRows(c: RuntimeNode[] | Error, k: RuntimeNode[] | Error, expected: ExpectedGraphs): CompareRow[] {
  if (c instanceof Error || k instanceof Error) return [pairRow('config', '*', 'nodes report their settings', { compose: c, kubernetes: k }, (l) => seen(`${l.length} node(s)`))];
  const cm = byLogical(c.filter((n) => !n.extra));
  const km = byLogical(k.filter((n) => !n.extra));
  const out: CompareRow[] = [];
  // Replicas per workload: Compose's services of it against the pods running (an HPA may add some).
  for (const group of [...new Set([...c.map((n) => n.group), ...k.map((n) => n.group)])]) {
    const count = (list: RuntimeNode[]) => list.filter((n) => n.group === group);
    const say = (list: RuntimeNode[]) => seen(`${count(list).length} (${count(list).map((n) => n.name).join(', ') || 'none'})`, String(count(list).length));
    out.push(row('config', group, 'replicas running', say(c), say(k), 'a different number of nodes runs'));
  }
  for (const logical of [...new Set([...cm.keys(), ...km.keys()])]) {
    const cs = cm.get(logical);
    const ks = km.get(logical);
    // Compared: whether each node is connected to the peers its own side's files make it dial (gossip may
    // add more: they are shown, not compared).
    const peers = (n: RuntimeNode) => (n.peers === null ? '?' : [...new Set(n.peers)].sort().join(', ') || '(none)');
    const gapsOf = (n: RuntimeNode, want: ExpectedPeers) => (n.peers === null ? [] : (want.get(logical) ?? []).filter((w) => !w.anyOf.some((a) => n.peers!.includes(a))).map((w) => w.label));
    const say = (list: RuntimeNode[] | undefined, want: ExpectedPeers): Seen => {
      const text = replicasSay(list, peers);
      const key = replicasSay(list, (n) => (n.peers === null ? '?' : gapsOf(n, want).length ? `missing ${gapsOf(n, want).join(', ')}` : 'connected to its file peers'));
      return 'key' in text && 'key' in key ? seen(text.shown, key.key) : text;
    };
    const peerRow = row('peers', logical, 'connected peers', say(cs, expected.compose), say(ks, expected.kubernetes), 'the nodes are connected to different peers');
    const gaps = [
      ...(cs ?? []).flatMap((n) => gapsOf(n, expected.compose).map((g) => `Compose ${n.name} -> ${g}`)),
      ...(ks ?? []).flatMap((n) => gapsOf(n, expected.kubernetes).map((g) => `Kubernetes ${n.name} -> ${g}`)),
    ];
    if (gaps.length && peerRow.verdict !== 'unchecked') out.push({ ...peerRow, verdict: 'different', note: `not connected at run time to a peer its files make it dial: ${gaps.join(', ')}` });
    else out.push(peerRow);
    out.push(row('config', logical, 'role', replicasSay(cs, (n) => n.role ?? '?'), replicasSay(ks, (n) => n.role ?? '?')));
    out.push(row('config', logical, 'start-up mode', replicasSay(cs, (n) => n.startup ?? '?'), replicasSay(ks, (n) => n.startup ?? '?'), 'seed creates the genesis block; join syncs from peers'));
    out.push(row('config', logical, 'instance', replicasSay(cs, (n) => String(n.instance ?? '?')), replicasSay(ks, (n) => String(n.instance ?? '?'))));
    if ([...(cs ?? []), ...(ks ?? [])].some((n) => n.rateLimit !== null)) {
      out.push(row('config', logical, 'rate limits in force', replicasSay(cs, (n) => n.rateLimit?.limiters ?? 'off'), replicasSay(ks, (n) => n.rateLimit?.limiters ?? 'off')));
      out.push(row('config', logical, 'whitelist', replicasSay(cs, (n) => n.rateLimit?.whitelist ?? 'off'), replicasSay(ks, (n) => n.rateLimit?.whitelist ?? 'off')));
    }
  }
  return out;
}

function restartRows(c: RestartProbe | Error, k: RestartProbe | Error): CompareRow[] {
  const service = !(c instanceof Error) ? c.logical : !(k instanceof Error) ? k.logical : 'miner';
  const sides = { compose: c, kubernetes: k };
  return [
    pairRow('restart', service, 'comes back after a stop', sides, (p) => seen(`${yesNo(p.cameBack)} (${p.seconds.toFixed(1)} s, ${p.node})`, yesNo(p.cameBack))),
    pairRow('restart', service, 'catches up with the chain', sides, (p) => seen(`${yesNo(p.caughtUp)} (${p.detail})`, yesNo(p.caughtUp))),
    pairRow('restart', service, 'no accepted block lost', sides, (p) => seen(yesNo(p.keptBlocks))),
  ];
}

function persistenceRows(c: PersistenceProbe | Error, k: PersistenceProbe | Error): CompareRow[] {
  return [
    pairRow('persistence', '*', 'chain kept across down and up', { compose: c, kubernetes: k }, (p) => seen(`${yesNo(p.tipKept && p.heightAfter >= p.heightBefore)} (height ${p.heightBefore} -> ${p.heightAfter}, ${p.seconds.toFixed(0)} s)`, yesNo(p.tipKept && p.heightAfter >= p.heightBefore)), 'one side lost its chain'),
  ];
}

export function compareRows(compose: SideObservation, kubernetes: SideObservation, opts: { api: string; expectedPeers: ExpectedGraphs }): CompareRow[] {
  return [
    ...apiRows(opts.api, compose.api, kubernetes.api),
    ...rateRows(opts.api, compose.rateLimit, kubernetes.rateLimit),
    ...chainRows(compose.chain, kubernetes.chain),
    ...nodeRows(compose.nodes, kubernetes.nodes, opts.expectedPeers),
    ...(compose.restart && kubernetes.restart ? restartRows(compose.restart, kubernetes.restart) : []),
    ...(compose.persistence && kubernetes.persistence ? persistenceRows(compose.persistence, kubernetes.persistence) : []),
  ];
}

/** Peer addresses (`host:port`, a pod's FQDN, an IP) to the logical names a side knows them by. */
export function logicalPeer(addr: string, aliases: Map<string, string>): string {
  const host = addr.startsWith('[') ? addr.slice(1, addr.indexOf(']')) : addr.includes(':') ? addr.slice(0, addr.lastIndexOf(':')) : addr;
  return aliases.get(host) ?? aliases.get(host.split('.')[0]) ?? host;
}

const bucketText = (b: { tokensCount: number; windowSeconds: number }) => `${b.tokensCount} per ${b.windowSeconds} s`;

/** A node's `healthcheck --json` report, in the terms both sides share. */
export function runtimeNode(name: string, logical: string, health: NodeHealth | null, aliases: Map<string, string>, where: { group?: string; extra?: boolean } = {}): RuntimeNode {
  const d = health?.detail;
  const rl = d?.rateLimit;
  return {
    name,
    logical,
    group: where.group ?? logical,
    extra: where.extra ?? false,
    height: health?.height ?? null,
    role: d?.role ?? null,
    startup: d?.startup ?? null,
    instance: d?.instance ?? null,
    blockTargetSeconds: d?.blockTargetSeconds ?? null,
    peers: d?.connectedPeers ? d.connectedPeers.map((p) => logicalPeer(p.addr, aliases)) : null,
    rateLimit: rl
      ? {
          limiters: (rl.limiters ?? []).map((l) => [l.global ? `global ${bucketText(l.global)}` : null, ...Object.entries(l.perValue).map(([k, b]) => `${k}: ${bucketText(b)}`)].filter(Boolean).join(', ')).join('; ') || 'none',
          whitelist: (rl.ipWhitelist ?? []).join(', ') || '(empty)',
        }
      : null,
  };
}

type Pairings = Array<{ compose: string; kubernetes: { name: string; ordinal: number | null } }>;
type Edge = { from: string; targets: Array<{ kind: string; workload?: string; ordinal?: number | '*'; service?: string }> };

/** A migrate-check target (a workload and ordinal, or a Compose-only service) as the Compose names that satisfy it. */
function targetNames(pairings: Pairings, t: Edge['targets'][number]): { label: string; anyOf: string[] } | null {
  if (t.kind === 'compose-only' && t.service) return { label: t.service, anyOf: [t.service] };
  if (t.kind !== 'workload') return null;
  const anyOf = pairings.filter((p) => p.kubernetes.name === t.workload && (t.ordinal === '*' || p.kubernetes.ordinal === null || p.kubernetes.ordinal === t.ordinal)).map((p) => p.compose);
  if (!anyOf.length) return null;
  return { label: anyOf.length === 1 ? anyOf[0] : `any of ${anyOf.join(', ')}`, anyOf };
}

function graph(pairings: Pairings, edges: Edge[], fromNames: (from: string) => string[]): ExpectedPeers {
  const out: ExpectedPeers = new Map();
  for (const edge of edges) {
    const to = edge.targets.map((t) => targetNames(pairings, t)).filter((t): t is { label: string; anyOf: string[] } => t !== null);
    if (!to.length) continue;
    for (const from of fromNames(edge.from)) {
      const list = out.get(from) ?? [];
      for (const t of to) if (!list.some((x) => x.label === t.label)) list.push(t);
      out.set(from, list);
    }
  }
  return out;
}

/**
 * The peer graphs the files describe, by logical name: each side's dialled
 * targets (migrate-check's peer graph), mapped through the pairing. A
 * Kubernetes edge comes from a pod (`miner-1`) or a whole workload.
 */
export function expectedPeers(report: { pairings: Pairings; peers: { compose: Edge[]; kubernetes: Edge[] } }): ExpectedGraphs {
  const { pairings } = report;
  const kubernetesFrom = (from: string) => {
    const exact = pairings.filter((p) => (p.kubernetes.ordinal === null ? p.kubernetes.name : `${p.kubernetes.name}-${p.kubernetes.ordinal}`) === from);
    return (exact.length ? exact : pairings.filter((p) => p.kubernetes.name === from)).map((p) => p.compose);
  };
  return { compose: graph(pairings, report.peers.compose, (from) => [from]), kubernetes: graph(pairings, report.peers.kubernetes, kubernetesFrom) };
}
