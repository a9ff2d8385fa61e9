// One TCP connection to another node: framing, decoding, misbehaviour score.
// A peer that sends garbage is penalised and, past the threshold,
// disconnected; an oversized message disconnects at once.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Logger } from '../log.ts';
import { LineDecoder, OversizeError } from './line-decoder.ts';
import { decodeMessage, DecodeError, encodeMessage, type Hello, type Message } from './messages.ts';
import type { OutputBudget, QueuedPeer } from './output-budget.ts';

export const BAN_SCORE = 100;

let nextId = 1;

export interface PeerEvents {
  message: [Message];
  close: [string];
}

export class Peer extends EventEmitter<PeerEvents> implements QueuedPeer {
  readonly id = nextId++;
  hello: Hello | null = null;
  score = 0;
  /** Blocks from this peer since one last connected to our chain. */
  unconnectedBlocks = 0;
  lastSeen = Date.now();
  private closed = false;
  private readonly decoder: LineDecoder;

  constructor(
    private readonly socket: Socket,
    readonly direction: 'inbound' | 'outbound',
    /** host:port we dialled (outbound) or the remote socket address (inbound). */
    readonly remote: string,
    maxMessageBytes: number,
    private readonly log: Logger,
    private readonly output: OutputBudget,
  ) {
    super();
    this.decoder = new LineDecoder(maxMessageBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.close(`socket error: ${err.message}`));
    socket.on('close', () => this.close('connection closed'));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** How logs and the API name this peer. */
  get label(): string {
    return this.hello?.addr ?? this.remote;
  }

  /** Bytes written to this peer that its socket has not sent yet. */
  get queuedBytes(): number {
    return this.closed ? 0 : this.socket.writableLength;
  }

  send(message: Message): void {
    if (this.closed) return;
    const line = encodeMessage(message);
    if (!this.output.admit(this, Buffer.byteLength(line))) return;
    this.socket.write(line);
  }

  /** Closes at once, discarding what is queued: for a peer that does not read. */
  drop(reason: string): void {
    if (this.closed) return;
    this.log.warn('dropping peer', { peer: this.label, reason });
    this.closed = true;
    this.socket.destroy();
    this.emit('close', reason);
  }

  penalize(points: number, reason: string): void {
    this.score += points;
    this.log.warn('peer misbehaved', { peer: this.label, reason, score: this.score });
    if (this.score >= BAN_SCORE) {
      this.send({ type: 'error', message: `disconnecting: ${reason}` });
      this.close(`misbehaviour score ${this.score} (${reason})`);
    }
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end();
    // end() waits for the peer; a stuck peer must not hold the socket open.
    setTimeout(() => this.socket.destroy(), 1000).unref();
    this.emit('close', reason);
  }

  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.lastSeen = Date.now();
    let lines: string[];
    try {
      lines = this.decoder.push(chunk);
    } catch (err) {
      if (!(err instanceof OversizeError)) throw err;
      this.log.warn('peer sent an oversized message', { peer: this.label, limit: err.limit });
      this.send({ type: 'error', message: err.message });
      this.close('oversized message');
      return;
    }
    for (const line of lines) {
      if (this.closed) return;
      if (line.trim() === '') continue;
      let message: Message;
      try {
        message = decodeMessage(line);
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        this.send({ type: 'error', message: err.message });
        this.penalize(25, `malformed message: ${err.message}`);
        continue;
      }
      try {
        this.emit('message', message);
      } catch (err) {
        // A handler bug must cost this peer its connection, never the node its life.
        this.log.error('error handling peer message', { peer: this.label, type: message.type, error: (err as Error).message });
        this.close('internal error');
      }
    }
  }
}
