// The P2P layer: a TCP server, persistent dialers for the configured peers
// (hostnames resolved on every attempt, retried with backoff until the peer
// is up), a few extra connections to addresses learned from peers, and the
// protocol: hello, initial sync by locator, block/tx relay, mempool and
// address exchange, keepalive.
import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Block } from '../chain/block.ts';
import type { AddOutcome, Chain } from '../chain/chain.ts';
import type { MempoolAdd } from '../chain/mempool.ts';
import type { Transfer } from '../chain/transaction.ts';
import { formatHostPort, parseHostPort, type HostPort } from '../config/identity.ts';
import type { Logger } from '../log.ts';
import { backoffDelay } from './backoff.ts';
import { MAX_ADDRS, MAX_BLOCKS_PER_MESSAGE, MAX_LOCATOR, MAX_TXS_PER_MESSAGE, PROTOCOL_VERSION, type Hello, type Message, type NodeDetail } from './messages.ts';
import { OutputBudget } from './output-budget.ts';
import { Peer } from './peer.ts';

export interface NetworkCore {
  chain: Chain;
  submitBlock(block: Block, source: string): AddOutcome;
  submitTx(tx: Transfer, source: string): MempoolAdd;
  mempoolTxs(): Transfer[];
}

export interface NetworkOptions {
  listen: HostPort;
  advertise: string;
  peers: readonly string[];
  maxMessageBytes: number;
  log: Logger;
  maxInbound?: number;
  maxOutbound?: number;
  keepaliveMs?: number;
  /** The node's effective settings, for a ping that asks for detail from this host. */
  describe?: () => Omit<NodeDetail, 'connectedPeers'>;
}

interface Dialer {
  addr: string;
  persistent: boolean;
  attempt: number;
  peer: Peer | null;
  timer: NodeJS.Timeout | null;
  failures: number;
}

const SYNC_STALL_MS = 10_000;
/** An inbound connection must say hello within this; honest nodes do at once. */
const HANDSHAKE_TIMEOUT_MS = 5000;
/** Orphans a peer may send in a row before each further one is penalised. */
const MAX_UNCONNECTED_BLOCKS = 16;
/** Per transfer that fails against our balances or nonces: 50 of them disconnect. */
const STATE_REJECT_PENALTY = 2;

export class Network {
  readonly nodeId = randomBytes(16).toString('hex');
  private server: Server | null = null;
  private readonly peers = new Set<Peer>();
  private readonly dialers = new Map<string, Dialer>();
  private readonly selfAddrs = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];
  /** When we last asked each peer for blocks; present while a download from it runs. */
  private readonly syncStarted = new Map<Peer, number>();
  /** Addresses peers advertised, candidates for extra outbound connections. */
  private readonly learned = new Set<string>();
  private stopped = false;
  private readonly output: OutputBudget;

  constructor(
    private readonly core: NetworkCore,
    private readonly opts: NetworkOptions,
  ) {
    this.selfAddrs.add(opts.advertise);
    this.output = new OutputBudget(opts.maxMessageBytes, () => this.peers);
  }

  /** Peers that completed the handshake, one per node. */
  get peerCount(): number {
    return new Set([...this.peers].filter((p) => p.hello).map((p) => p.hello!.nodeId)).size;
  }

  peerInfo(): { addr: string; direction: string; height: number; nodeId: string }[] {
    return [...this.peers]
      .filter((p) => p.hello)
      .map((p) => ({ addr: p.label, direction: p.direction, height: p.hello!.height, nodeId: p.hello!.nodeId }));
  }

  get listenPort(): number {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : this.opts.listen.port;
  }

  async start(): Promise<void> {
    const server = createServer((socket) => this.onInbound(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.listen.port, this.opts.listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => this.opts.log.error('p2p server error', { error: err.message }));
    this.server = server;
    this.opts.log.info('p2p listening', { addr: formatHostPort({ host: this.opts.listen.host, port: this.listenPort }), advertise: this.opts.advertise });
    for (const addr of this.opts.peers) this.addDialer(addr, true);
    const keepalive = this.opts.keepaliveMs ?? 20_000;
    this.timers.push(setInterval(() => this.keepalive(keepalive), keepalive));
    this.timers.push(setInterval(() => this.dialKnown(), 15_000));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    for (const d of this.dialers.values()) if (d.timer) clearTimeout(d.timer);
    for (const p of this.peers) p.destroy();
    this.peers.clear();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  broadcastBlock(block: Block, except?: Peer): void {
    for (const p of this.ready()) if (p !== except) p.send({ type: 'block', block });
  }

  broadcastTx(tx: Transfer, except?: Peer): void {
    for (const p of this.ready()) if (p !== except) p.send({ type: 'tx', tx });
  }

  private ready(): Peer[] {
    return [...this.peers].filter((p) => p.hello && !p.isClosed);
  }

  private hello(): Hello {
    const chain = this.core.chain;
    return {
      type: 'hello',
      version: PROTOCOL_VERSION,
      nodeId: this.nodeId,
      addr: this.opts.advertise,
      height: chain.height,
      work: (chain.tip?.work ?? 0n).toString(),
      tip: chain.tip?.block.hash ?? null,
      genesis: chain.genesis?.block.hash ?? null,
    };
  }

  private onInbound(socket: Socket): void {
    if (this.stopped) return void socket.destroy();
    const inbound = [...this.peers].filter((p) => p.direction === 'inbound');
    if (inbound.length >= (this.opts.maxInbound ?? 64)) {
      // Slots are for nodes: the oldest connection that has not said hello
      // gives way, so silent connections cannot lock honest peers out.
      const silent = inbound.find((p) => !p.hello);
      if (!silent) return void socket.destroy();
      silent.close('inbound slots full, and it has not said hello');
    }
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    // Inbound connections get our hello only once they say hello: a health
    // probe that only pings is answered without a chain summary. Pings do not
    // extend the deadline for that hello.
    const peer = new Peer(socket, 'inbound', remote, this.opts.maxMessageBytes, this.opts.log, this.output);
    this.attach(peer);
    const timer = setTimeout(() => !peer.hello && peer.close(`no hello within ${HANDSHAKE_TIMEOUT_MS} ms`), HANDSHAKE_TIMEOUT_MS).unref();
    peer.once('close', () => clearTimeout(timer));
  }

  private attach(peer: Peer): void {
    this.peers.add(peer);
    peer.on('message', (m) => this.onMessage(peer, m));
    peer.on('close', (reason) => {
      this.peers.delete(peer);
      this.syncStarted.delete(peer);
      if (peer.hello) this.opts.log.info('peer disconnected', { peer: peer.label, reason });
      else this.opts.log.debug('connection closed before handshake', { remote: peer.remote, reason });
    });
  }

  private addDialer(addr: string, persistent: boolean): void {
    if (this.dialers.has(addr) || this.selfAddrs.has(addr)) return;
    const d: Dialer = { addr, persistent, attempt: 0, peer: null, timer: null, failures: 0 };
    this.dialers.set(addr, d);
    this.dial(d);
  }

  private dial(d: Dialer): void {
    if (this.stopped) return;
    d.timer = null;
    let target: HostPort;
    try {
      target = parseHostPort(d.addr, 'peer address');
    } catch {
      this.dialers.delete(d.addr);
      return;
    }
    const socket = createConnection({ host: target.host, port: target.port });
    const connectTimer = setTimeout(() => socket.destroy(new Error('connect timeout')), 5000);
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      const peer = new Peer(socket, 'outbound', d.addr, this.opts.maxMessageBytes, this.opts.log, this.output);
      d.peer = peer;
      this.attach(peer);
      peer.on('close', () => {
        d.peer = null;
        this.scheduleRedial(d, 'disconnected');
      });
      peer.send(this.hello());
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      if (d.peer) return;
      socket.destroy();
      this.scheduleRedial(d, err.code ?? err.message);
    });
  }

  private scheduleRedial(d: Dialer, why: string): void {
    if (this.stopped || d.timer || this.dialers.get(d.addr) !== d) return;
    if (!d.persistent) {
      d.failures++;
      this.dialers.delete(d.addr);
      return;
    }
    const delay = backoffDelay(d.attempt++);
    // First failure and then every tenth at info, so a peer that is down does not flood the log.
    const level = d.attempt === 1 || d.attempt % 10 === 0 ? 'info' : 'debug';
    this.opts.log[level]('peer not connected, retrying', { peer: d.addr, reason: why, retry_in_ms: delay });
    d.timer = setTimeout(() => this.dial(d), delay);
  }

  private onMessage(peer: Peer, m: Message): void {
    if (m.type === 'ping') {
      const pong = { type: 'pong' as const, nonce: m.nonce, height: this.core.chain.height, tip: this.core.chain.tip?.block.hash ?? null, peers: this.peerCount };
      // Settings are told only to a probe on this host (the healthcheck in the same container or pod).
      const detail = m.detail && this.opts.describe && isLoopbackRemote(peer) ? { ...this.opts.describe(), connectedPeers: this.peerInfo().map((p) => ({ addr: p.addr, direction: p.direction })) } : undefined;
      return peer.send(detail ? { ...pong, detail } : pong);
    }
    if (m.type === 'hello') return this.onHello(peer, m);
    if (!peer.hello) return peer.penalize(10, `${m.type} before hello`);
    const chain = this.core.chain;
    switch (m.type) {
      case 'pong':
      case 'error':
        if (m.type === 'error') this.opts.log.debug('peer reported an error', { peer: peer.label, message: m.message });
        return;
      case 'get_blocks':
        return peer.send({ type: 'blocks', blocks: this.fitToMessage(chain.blocksAfter(m.locator, MAX_BLOCKS_PER_MESSAGE)) });
      case 'blocks':
        return this.onBlocks(peer, m.blocks);
      case 'block':
        this.onBlock(peer, m.block, true);
        return;
      case 'tx':
        return this.onTx(peer, m.tx);
      case 'get_mempool':
        return peer.send({ type: 'mempool', txs: this.fitToMessage(this.core.mempoolTxs().slice(0, MAX_TXS_PER_MESSAGE)) });
      case 'mempool':
        for (const tx of m.txs) this.onTx(peer, tx);
        return;
      case 'get_peers':
        return peer.send({ type: 'peers', addrs: this.knownAddrs(peer) });
      case 'peers':
        for (const addr of m.addrs) this.learn(addr);
        return;
    }
  }

  private onHello(peer: Peer, h: Hello): void {
    if (peer.hello) return peer.penalize(10, 'second hello');
    if (h.nodeId === this.nodeId) {
      this.selfAddrs.add(peer.remote);
      const d = this.dialers.get(peer.remote);
      if (d) d.persistent = false;
      this.dialers.delete(peer.remote);
      peer.close('connected to ourselves');
      return;
    }
    const ours = this.core.chain.genesis?.block.hash ?? null;
    if (ours && h.genesis && ours !== h.genesis) {
      this.opts.log.warn('peer is on a different chain', { peer: h.addr, their_genesis: h.genesis, our_genesis: ours });
      peer.close('different genesis');
      return;
    }
    peer.hello = h;
    if (peer.direction === 'inbound') peer.send(this.hello());
    const d = this.dialers.get(peer.remote);
    if (d && peer.direction === 'outbound') d.attempt = 0;
    this.opts.log.info('peer connected', { peer: h.addr, direction: peer.direction, height: h.height });
    this.learn(h.addr);
    const ourWork = this.core.chain.tip?.work ?? -1n;
    if (BigInt(h.work) > ourWork) this.requestBlocks(peer, true);
    peer.send({ type: 'get_mempool' });
    peer.send({ type: 'get_peers' });
  }

  /** Returns whether the block was new to us. */
  private onBlock(peer: Peer, block: Block, announced: boolean): boolean {
    const outcome = this.core.submitBlock(block, peer.label);
    switch (outcome.status) {
      case 'accepted':
        peer.unconnectedBlocks = 0;
        if (peer.hello && block.header.height > peer.hello.height) peer.hello.height = block.header.height;
        for (const b of outcome.accepted) this.broadcastBlock(b, peer);
        return true;
      case 'orphan':
        // An honest peer sends a few while we are behind, and they connect
        // once the download catches up; a stream that never connects is
        // someone filling our orphan pool.
        if (++peer.unconnectedBlocks > MAX_UNCONNECTED_BLOCKS) peer.penalize(25, `${peer.unconnectedBlocks} blocks that do not connect to our chain`);
        // We lack its ancestors: ask this peer where our chains diverge.
        if (announced && !peer.isClosed) this.requestBlocks(peer, false);
        return false;
      case 'invalid':
        peer.penalize(block.header.height === 0 ? 10 : 50, `invalid block ${block.hash}: ${outcome.reason}`);
        return false;
      case 'duplicate':
      case 'unstored':
        return false;
    }
  }

  private onBlocks(peer: Peer, blocks: Block[]): void {
    for (const block of blocks) this.onBlock(peer, block, false);
    if (peer.isClosed) return;
    // Ask for what follows the last block of this batch, not what follows our
    // tip: a batch that only extends a side branch leaves the tip where it
    // was, and a locator from the tip would fetch the same batch again. The
    // download ends with an empty batch (the peer has nothing after it).
    const last = blocks.at(-1);
    const entry = last && this.core.chain.entry(last.hash);
    if (entry && !entry.invalid) this.requestBlocks(peer, true, last!.hash);
    else this.syncStarted.delete(peer);
  }

  private onTx(peer: Peer, tx: Transfer): void {
    const result = this.core.submitTx(tx, peer.label);
    if (result.status === 'added') return this.broadcastTx(tx, peer);
    if (result.status !== 'rejected') return;
    if (result.cause === 'invalid') peer.penalize(20, `invalid transaction ${tx.id}: ${result.reason}`);
    // A transfer that does not fit our tip may be an honest race, so it costs
    // little; but copies of it, or a stream of them, add up to a disconnect.
    else if (result.cause === 'state') peer.penalize(STATE_REJECT_PENALTY, `transfer ${tx.id} rejected: ${result.reason}`);
  }

  /**
   * Asks the peer for blocks after `after` (default our tip). Unforced
   * requests (an orphan arrived) wait while a download from this peer is
   * running, unless it has been silent for SYNC_STALL_MS.
   */
  private requestBlocks(peer: Peer, force: boolean, after?: string): void {
    const now = Date.now();
    const started = this.syncStarted.get(peer);
    if (!force && started !== undefined && now - started < SYNC_STALL_MS) return;
    this.syncStarted.set(peer, now);
    peer.send({ type: 'get_blocks', locator: this.core.chain.locator(after).slice(0, MAX_LOCATOR) });
  }

  /** Trims a list (blocks, transfers) so the encoded message stays well under the size limit. */
  private fitToMessage<T>(items: T[]): T[] {
    const budget = this.opts.maxMessageBytes / 2;
    let size = 0;
    const out: T[] = [];
    for (const item of items) {
      size += JSON.stringify(item).length + 1;
      if (size > budget && out.length > 0) break;
      out.push(item);
    }
    return out;
  }

  private knownAddrs(except: Peer): string[] {
    const addrs = new Set<string>();
    for (const p of this.ready()) if (p !== except && p.hello) addrs.add(p.hello.addr);
    return [...addrs].slice(0, MAX_ADDRS);
  }

  private learn(addr: string): void {
    if (this.selfAddrs.has(addr) || this.learned.size >= 200) return;
    try {
      parseHostPort(addr, 'peer address');
    } catch {
      return;
    }
    this.learned.add(addr);
  }

  /** Connects to learned addresses of nodes we are not yet connected to. */
  private dialKnown(): void {
    if (this.stopped) return;
    const outbound = [...this.peers].filter((p) => p.direction === 'outbound').length;
    let budget = (this.opts.maxOutbound ?? 8) - outbound;
    const connected = new Set<string>();
    for (const p of this.peers) {
      connected.add(p.remote);
      if (p.hello) connected.add(p.hello.addr);
    }
    for (const addr of this.learned) {
      if (budget <= 0) break;
      if (connected.has(addr) || this.dialers.has(addr) || this.selfAddrs.has(addr)) continue;
      budget--;
      this.learned.delete(addr);
      this.addDialer(addr, false);
    }
  }

  private keepalive(intervalMs: number): void {
    const now = Date.now();
    for (const p of this.peers) {
      if (now - p.lastSeen > intervalMs * 3) p.close('no traffic (keepalive timeout)');
      else if (p.hello) p.send({ type: 'ping', nonce: randomBytes(4).toString('hex') });
    }
  }
}

function isLoopbackRemote(peer: Peer): boolean {
  if (peer.direction !== 'inbound') return false;
  const host = peer.remote.slice(0, peer.remote.lastIndexOf(':'));
  return host === '127.0.0.1' || host === '::1' || host === '::ffff:127.0.0.1';
}
