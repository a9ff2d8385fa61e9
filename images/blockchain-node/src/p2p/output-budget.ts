// Bytes queued for peers that have not read them yet. Each peer may queue
// two messages' worth, all peers together sixteen; when the total would be
// exceeded, the peers with the longest queues (the slowest readers) are
// dropped first. Without this, 64 peers that never read could hold 32 MiB
// each, about 2 GB, far over a 512Mi pod.
export interface QueuedPeer {
  readonly queuedBytes: number;
  drop(reason: string): void;
}

export class OutputBudget {
  readonly perPeer: number;
  readonly total: number;

  constructor(
    maxMessageBytes: number,
    private readonly peers: () => Iterable<QueuedPeer>,
  ) {
    this.perPeer = 2 * maxMessageBytes;
    this.total = 16 * maxMessageBytes;
  }

  /**
   * Whether `sender` may queue `bytes` more. Frees room by dropping the
   * slowest readers; the sender itself is dropped when its own queue is over
   * its share, or when it is the slowest.
   */
  admit(sender: QueuedPeer, bytes: number): boolean {
    if (sender.queuedBytes + bytes > this.perPeer) {
      sender.drop(`peer is not reading its messages (${sender.queuedBytes} bytes queued, limit ${this.perPeer})`);
      return false;
    }
    let queued = 0;
    for (const p of this.peers()) queued += p.queuedBytes;
    while (queued + bytes > this.total) {
      let slowest: QueuedPeer | null = null;
      for (const p of this.peers()) if (p.queuedBytes > 0 && (!slowest || p.queuedBytes > slowest.queuedBytes)) slowest = p;
      if (!slowest) break;
      queued -= slowest.queuedBytes;
      slowest.drop(`slowest reader while ${this.total} bytes are queued for all peers`);
      if (slowest === sender) return false;
    }
    return true;
  }
}
