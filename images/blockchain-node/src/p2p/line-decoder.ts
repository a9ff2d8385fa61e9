// Splits a TCP byte stream into newline-terminated messages. A message longer
// than the limit is an error: the stream cannot be resynchronised safely, so
// the caller drops the connection.
export class OversizeError extends Error {
  constructor(readonly limit: number) {
    super(`message exceeds ${limit} bytes`);
  }
}

export class LineDecoder {
  private parts: Buffer[] = [];
  private pending = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) break;
      const piece = chunk.subarray(start, nl);
      if (this.pending + piece.length > this.maxBytes) throw new OversizeError(this.maxBytes);
      this.parts.push(piece);
      lines.push(Buffer.concat(this.parts).toString('utf8'));
      this.parts = [];
      this.pending = 0;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      if (this.pending + rest.length > this.maxBytes) throw new OversizeError(this.maxBytes);
      this.parts.push(Buffer.from(rest));
      this.pending += rest.length;
    }
    return lines;
  }
}
