// Wires one node together: data-dir lock, block store, chain, mempool,
// wallets, P2P, and by role the miner or the HTTP API. start() brings them up
// in dependency order; stop() takes them down in reverse, store last so no
// accepted block is lost.
import { join } from 'node:path';
import { BLOCK_VERSION_RETARGET, templateWithCoinbase, blockTemplate, type Block } from './chain/block.ts';
import { Chain, type AddOutcome, type TipChange } from './chain/chain.ts';
import { decodeBlock } from './chain/decode.ts';
import { ZERO_HASH } from './chain/hash.ts';
import { Mempool, type MempoolAdd } from './chain/mempool.ts';
import type { Transfer } from './chain/transaction.ts';
import type { NodeConfig } from './config/node-config.ts';
import { StartupError } from './config/startup-error.ts';
import type { Logger } from './log.ts';
import { mineBlock } from './mining/mine-block.ts';
import { Miner } from './mining/miner.ts';
import { Network } from './p2p/network.ts';
import type { NodeDetail } from './p2p/messages.ts';
import type { RateLimitSettings } from './ratelimit/settings.ts';
import { formatHostPort } from './config/identity.ts';
import { BlockLog, type FileIo } from './store/block-log.ts';
import { acquireDirLock, type DirLock } from './store/dir-lock.ts';
import { resolveMiningAddress } from './wallet/mining-address.ts';
import { WalletFile } from './wallet/wallet-file.ts';

export const MINING_ADDRESS_FILE = 'mining_address.txt';

/** What tests may replace: the block store's file writes (a full disk). */
export interface NodeDeps {
  blockLogIo?: FileIo;
}

export class BlockchainNode {
  readonly chain = new Chain();
  readonly mempool = new Mempool();
  readonly network: Network;
  readonly wallets: WalletFile;
  miner: Miner | null = null;
  private store: BlockLog | null = null;
  private lock: DirLock | null = null;
  private stopping = false;
  private generating = false;
  /** Why the store refused a write; from then on no block is accepted. */
  private storeFailure: string | null = null;
  /** Stored blocks whose ancestors were damaged on disk: already written, not to be appended again. */
  private readonly storedOrphans = new Set<string>();
  readonly startedAt = Date.now();
  /** The rate limiter's settings in force (webserver with RL_SETTINGS_PATH), for effectiveSettings(). */
  rateLimitSettings: RateLimitSettings | null = null;

  private constructor(
    readonly config: NodeConfig,
    readonly log: Logger,
    private readonly deps: NodeDeps,
  ) {
    this.wallets = new WalletFile(config.walletFile);
    this.network = new Network(this, {
      listen: config.p2p,
      advertise: config.advertise,
      peers: config.peers,
      maxMessageBytes: config.maxMessageBytes,
      log,
      describe: () => this.effectiveSettings(),
    });
  }

  /** What this node runs with, as configured and as its chain fixes it (never a key). */
  effectiveSettings(): Omit<NodeDetail, 'connectedPeers'> {
    const c = this.config;
    const rl = this.rateLimitSettings;
    const bucket = (b: { tokensCount: number; windowSeconds: number }) => ({ tokensCount: b.tokensCount, windowSeconds: b.windowSeconds });
    return {
      role: c.role,
      instance: c.instance,
      instanceSource: c.instanceSource,
      startup: c.seed ? 'seed' : 'join',
      advertise: c.advertise,
      configuredPeers: [...c.peers],
      difficultyBits: this.chain.bits,
      blockTargetSeconds: this.chain.targetSeconds,
      rateLimit: rl
        ? {
            file: rl.file,
            redis: formatHostPort(rl.redis),
            ipWhitelist: [...rl.ipWhitelist],
            limiters: rl.ipLimiters.map((l) => ({ global: l.global ? bucket(l.global) : null, perValue: Object.fromEntries([...l.perValue].map(([k, b]) => [k, bucket(b)])) })),
          }
        : null,
    };
  }

  static async start(config: NodeConfig, log: Logger, deps: NodeDeps = {}): Promise<BlockchainNode> {
    const node = new BlockchainNode(config, log, deps);
    node.lock = await acquireDirLock(config.dataDir);
    try {
      node.openStore();
      if (!node.chain.genesis && config.seed) await node.createGenesis();
      node.checkConfiguredDifficulty();
      if (config.role === 'miner') node.startMinerWallet();
      await node.network.start();
      node.miner?.start();
    } catch (err) {
      await node.stop();
      throw err;
    }
    return node;
  }

  /** Store open and chain loaded: the node can answer with a chain. */
  get ready(): boolean {
    return !this.stopping && this.store !== null && this.storeFailure === null && this.chain.genesis !== null;
  }

  /** Why the node stopped accepting blocks, or null. */
  get storeError(): string | null {
    return this.storeFailure;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  mempoolTxs(): Transfer[] {
    return this.mempool.list();
  }

  submitBlock(block: Block, source: string): AddOutcome {
    if (this.stopping || !this.store) return { status: 'duplicate' };
    if (this.storeFailure) return { status: 'unstored' };
    const outcome = this.chain.addBlock(block, Date.now(), (b) => this.persist(b));
    if (outcome.status === 'accepted') {
      for (const change of outcome.tipChanges) this.onTipChange(change, source);
    } else if (outcome.status === 'invalid') {
      this.log.warn('block rejected', { hash: block.hash, height: block.header.height, source, reason: outcome.reason });
    }
    return outcome;
  }

  private persist(block: Block): boolean {
    if (this.storeFailure || !this.store) return false;
    if (this.storedOrphans.delete(block.hash)) return true;
    try {
      this.store.append(block);
      return true;
    } catch (err) {
      // Accepting blocks we cannot keep would lose them at the next restart
      // and leave peers building on a chain we no longer have: stop instead.
      const e = err as NodeJS.ErrnoException;
      this.storeFailure = `block store write failed: ${e.code ?? e.message}`;
      this.log.error('block store write failed: no more blocks are accepted until the node is restarted', {
        path: this.store.path,
        error: e.message,
        height: this.chain.height,
      });
      void this.miner?.stop();
      return false;
    }
  }

  /** A block this node mined: accept it and announce it. */
  submitLocalBlock(block: Block): AddOutcome {
    const outcome = this.submitBlock(block, 'local');
    if (outcome.status === 'accepted') for (const b of outcome.accepted) this.network.broadcastBlock(b);
    return outcome;
  }

  submitTx(tx: Transfer, source: string): MempoolAdd {
    const result = this.mempool.add(tx, this.chain.ledger);
    if (result.status === 'added') {
      this.log.info('transaction accepted', { txid: tx.id, from: tx.from, to: tx.to, amount: tx.amount, source });
      this.miner?.invalidate();
    } else if (result.status === 'rejected') {
      this.log.debug('transaction rejected', { txid: tx.id, source, reason: result.reason });
    }
    return result;
  }

  /** Signs a transfer with a key from this node's wallet file and relays it. */
  createTransfer(from: string, to: string, amount: number): { tx: Transfer } | { error: string } {
    const nonce = this.mempool.pendingAccount(from, this.chain.ledger).nonce + 1;
    const tx = this.wallets.sign(from, { to, amount, nonce });
    if (!tx) return { error: `this node's wallet file holds no key for ${from}` };
    const result = this.submitTx(tx, 'api');
    if (result.status === 'rejected') return { error: result.reason };
    this.network.broadcastTx(tx);
    return { tx };
  }

  /** Mines blocks to an address at full speed (the admin generatetoaddress route). */
  async generateToAddress(count: number, address: string): Promise<string[] | { error: string }> {
    if (this.generating) return { error: 'generatetoaddress is already running' };
    if (!this.chain.tip || this.chain.bits === null) return { error: 'the chain is not loaded yet' };
    this.generating = true;
    const hashes: string[] = [];
    try {
      while (hashes.length < count && !this.stopping && !this.storeFailure) {
        const tip = this.chain.tip!;
        const template = templateWithCoinbase({
          height: tip.height + 1,
          prevHash: tip.block.hash,
          parentTimestamp: tip.block.header.timestamp,
          bits: this.chain.bits!,
          version: this.chain.version ?? undefined,
          miner: address,
          transfers: this.mempool.select(999),
        });
        const block = await mineBlock(template, { dutyCycle: 1, shouldStop: () => this.stopping || this.chain.tip !== tip });
        if (block && this.submitLocalBlock(block).status === 'accepted') hashes.push(block.hash);
      }
    } finally {
      this.generating = false;
    }
    if (this.storeFailure) return { error: this.storeFailure };
    return hashes;
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.miner?.stop();
    await this.network.stop();
    this.store?.close();
    this.store = null;
    await this.lock?.release();
    this.lock = null;
  }

  private openStore(): void {
    const path = join(this.config.dataDir, 'blocks.log');
    const opened = BlockLog.open(path, this.deps.blockLogIo);
    if (opened.discarded) {
      this.log.warn('discarded a torn record at the end of the block store', { path, ...opened.discarded });
    }
    if (opened.corrupt) {
      const { spans, copy } = opened.corrupt;
      this.log.error('block store has damaged records before valid ones: the file is kept as it is, with a copy; the valid blocks are loaded and the missing ones are fetched from peers', {
        path,
        copy,
        damaged_spans: spans.length,
        first_offset: spans[0].offset,
        damaged_bytes: spans.reduce((n, s) => n + s.bytes, 0),
        reason: spans[0].reason,
      });
    }
    let skipped = 0;
    for (const record of opened.records) {
      try {
        const block = decodeBlock(record);
        const status = this.chain.addBlock(block).status;
        if (status === 'invalid') skipped++;
        if (status === 'orphan') this.storedOrphans.add(block.hash);
      } catch {
        skipped++;
      }
    }
    if (skipped > 0) this.log.warn('ignored stored blocks that no longer validate', { path, count: skipped });
    if (this.chain.orphanCount > 0) this.log.warn('stored blocks wait for missing ancestors from peers', { path, count: this.chain.orphanCount });
    this.store = opened.log;
    this.log.info('block store opened', { path, blocks: opened.records.length, height: this.chain.height, tip: this.chain.tip?.block.hash });
  }

  private async createGenesis(): Promise<void> {
    const template = blockTemplate({
      height: 0,
      prevHash: ZERO_HASH,
      bits: this.config.difficultyBits,
      txs: [],
      version: BLOCK_VERSION_RETARGET,
      targetSeconds: this.config.blockTargetSeconds,
    });
    const block = await mineBlock(template, { dutyCycle: 1, shouldStop: () => this.stopping });
    if (!block) throw new StartupError('stopped while creating the genesis block');
    const outcome = this.submitBlock(block, 'genesis');
    if (outcome.status !== 'accepted') throw new Error(`own genesis block was not accepted: ${JSON.stringify(outcome)}`);
    this.log.info('created genesis block', { hash: block.hash, difficulty_bits: block.header.bits, block_target_seconds: block.header.targetSeconds });
  }

  /** A seed whose store already has a genesis block keeps that block's difficulty and target: say so when they differ. */
  private checkConfiguredDifficulty(): void {
    const genesis = this.chain.genesis;
    if (!genesis || !this.config.seed) return;
    const bits = genesis.block.header.bits;
    if (this.config.difficultyBitsGiven && bits !== this.config.difficultyBits) {
      this.log.warn(`NODE_DIFFICULTY_BITS=${this.config.difficultyBits} does not apply: the genesis block in the store fixes ${bits} bits`, {
        difficulty_bits: bits,
        genesis: genesis.block.hash,
      });
    }
    const target = this.chain.targetSeconds;
    if (this.config.blockTargetSecondsGiven && target !== this.config.blockTargetSeconds) {
      const why = target === null ? 'the chain in the store predates retargeting: its difficulty is fixed' : `the genesis block in the store fixes ${target} seconds`;
      this.log.warn(`BLOCK_TARGET_SECONDS=${this.config.blockTargetSeconds} does not apply: ${why}`, { genesis: genesis.block.hash });
    }
  }

  private startMinerWallet(): void {
    const { address, source } = resolveMiningAddress({
      miningAddress: this.config.miningAddress,
      addressPool: this.config.addressPool,
      instance: this.config.instance,
      cachePath: join(this.config.walletDir, MINING_ADDRESS_FILE),
      createWallet: () => this.wallets.create(),
    });
    this.log.info('mining address', { address, source });
    this.miner = new Miner({
      chain: this.chain,
      mempool: this.mempool,
      address,
      dutyCycle: this.config.dutyCycle,
      onBlock: (block) => {
        if (this.submitLocalBlock(block).status === 'accepted') {
          this.log.info('mined block', { height: block.header.height, hash: block.hash, txs: block.txs.length });
        }
      },
    });
  }

  private onTipChange(change: TipChange, source: string): void {
    this.mempool.retarget(this.chain.ledger, change.disconnected, change.connected);
    this.miner?.invalidate();
    const tip = change.tip;
    const previousBits = change.previous?.childBits;
    if (previousBits !== undefined && previousBits !== tip.childBits) {
      // The difficulty in force changed (a retarget, or a reorg onto a branch that retargeted differently).
      this.log.info('difficulty retargeted', {
        difficulty_bits: tip.childBits,
        previous_bits: previousBits,
        height: tip.height + 1,
        block_target_seconds: this.chain.targetSeconds ?? undefined,
        source,
      });
    }
    if (change.disconnected.length > 0) {
      this.log.info('chain reorganised', {
        height: tip.height,
        tip: tip.block.hash,
        disconnected: change.disconnected.length,
        connected: change.connected.length,
        source,
      });
    } else if (tip.height === 0 && source !== 'genesis') {
      this.log.info('received the genesis block: the network difficulty is in force', { difficulty_bits: tip.block.header.bits, genesis: tip.block.hash, source });
    } else if (source !== 'local') {
      this.log.info('new tip', { height: tip.height, tip: tip.block.hash, source });
    }
  }
}
