// Append-only, crash-safe record file. Each record is
//   [u32 length][u32 crc32 of payload][payload: UTF-8 JSON]
// and is fsynced before append() returns, so an accepted block survives a
// crash. Only the last record can be torn by a crash (appends are sequential
// and fsynced): a bad record with nothing valid after it is such a tail, and
// open() truncates it away. A bad record with valid records after it is
// damage, not a crash: open() keeps the file as it is, copies it aside once,
// skips the bad bytes and returns every valid record on both sides.
import { closeSync, copyFileSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

const HEADER = 8;
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export interface OpenedLog<T> {
  log: BlockLog;
  records: T[];
  /** Present when a torn or corrupt tail was cut off. */
  discarded?: ByteSpan;
  /** Present when bad records were found before valid ones: skipped, never cut. */
  corrupt?: { spans: ByteSpan[]; copy: string };
}

export interface ByteSpan {
  offset: number;
  bytes: number;
  reason: string;
}

/** The writes the log makes, replaceable so tests can simulate a full disk. */
export interface FileIo {
  writeSync(fd: number, buffer: Buffer, offset: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, length: number): void;
}

const nodeFileIo: FileIo = {
  writeSync: (fd, buffer, offset) => writeSync(fd, buffer, offset),
  fsyncSync,
  ftruncateSync,
};

export class BlockLog {
  private closed = false;
  /** Set when a failed append could not be cut back off: the file's end is unknown. */
  private broken: string | null = null;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private size: number,
    private readonly io: FileIo,
  ) {}

  static open<T = unknown>(path: string, io: FileIo = nodeFileIo): OpenedLog<T> {
    const fd = openSync(path, 'a+');
    const data = readFileSync(path);
    const scan = scanRecords<T>(data);
    const opened: OpenedLog<T> = { log: new BlockLog(path, fd, scan.end, io), records: scan.records };
    if (scan.corrupt.length > 0) {
      // One copy per damage: a restart with the same bad record copies nothing again.
      const copy = `${path}.corrupt-at-${scan.corrupt[0].offset}`;
      if (!existsSync(copy)) copyFileSync(path, copy);
      opened.corrupt = { spans: scan.corrupt, copy };
    }
    if (scan.tail) {
      io.ftruncateSync(fd, scan.end);
      io.fsyncSync(fd);
      opened.discarded = scan.tail;
    }
    return opened;
  }

  /**
   * The valid records of a log without opening it for writing: for reading a
   * running node's store from another process (`blockchain-node inspect`).
   * A record still being appended reads as a torn tail and is left out.
   */
  static readRecords<T = unknown>(path: string): T[] {
    return scanRecords<T>(readFileSync(path)).records;
  }

  get bytes(): number {
    return this.size;
  }

  /**
   * Appends one record and fsyncs it. When the write or the fsync fails (a
   * full disk), whatever part of the record reached the file is cut off again
   * before the error is thrown, so the file still ends after the last good
   * record and nothing is ever appended after a partial one.
   */
  append(record: unknown): void {
    if (this.closed) throw new Error(`block log ${this.path} is closed`);
    if (this.broken) throw new Error(`block log ${this.path} is unusable: ${this.broken}`);
    const payload = Buffer.from(JSON.stringify(record), 'utf8');
    const buf = Buffer.alloc(HEADER + payload.length);
    buf.writeUInt32BE(payload.length, 0);
    buf.writeUInt32BE(crc32(payload), 4);
    payload.copy(buf, HEADER);
    try {
      let written = 0;
      while (written < buf.length) written += this.io.writeSync(this.fd, buf, written);
      this.io.fsyncSync(this.fd);
    } catch (err) {
      try {
        this.io.ftruncateSync(this.fd, this.size);
        this.io.fsyncSync(this.fd);
      } catch (cutErr) {
        this.broken = `a failed append could not be cut off (${(cutErr as Error).message}); the tail is discarded on the next start`;
      }
      throw err;
    }
    this.size += buf.length;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

function recordProblem(data: Buffer, offset: number): string | null {
  if (data.length - offset < HEADER) return 'truncated record header';
  const length = data.readUInt32BE(offset);
  if (length > MAX_RECORD_BYTES) return `record length ${length} is implausible`;
  if (data.length - offset - HEADER < length) return 'truncated record payload';
  const payload = data.subarray(offset + HEADER, offset + HEADER + length);
  if (crc32(payload) !== data.readUInt32BE(offset + 4)) return 'checksum mismatch';
  try {
    JSON.parse(payload.toString('utf8'));
  } catch {
    return 'payload is not JSON';
  }
  return null;
}

/**
 * Every valid record; the bad spans that valid records follow; and a bad
 * tail (nothing valid after it), which ends the log at `end`.
 */
function scanRecords<T>(data: Buffer): { records: T[]; corrupt: ByteSpan[]; tail?: ByteSpan; end: number } {
  const records: T[] = [];
  const corrupt: ByteSpan[] = [];
  let offset = 0;
  while (offset < data.length) {
    const problem = recordProblem(data, offset);
    if (!problem) {
      const length = data.readUInt32BE(offset);
      records.push(JSON.parse(data.subarray(offset + HEADER, offset + HEADER + length).toString('utf8')) as T);
      offset += HEADER + length;
      continue;
    }
    const next = nextRecordAfter(data, offset);
    if (next === -1) return { records, corrupt, tail: { offset, bytes: data.length - offset, reason: problem }, end: offset };
    corrupt.push({ offset, bytes: next - offset, reason: problem });
    offset = next;
  }
  return { records, corrupt, end: offset };
}

/**
 * The offset of the next valid record after a bad one, or -1. Payloads are
 * JSON objects, so a candidate must start with "{" and end with "}" before
 * its checksum is worth computing; that keeps the scan linear in practice.
 */
function nextRecordAfter(data: Buffer, bad: number): number {
  for (let p = bad + 1; p + HEADER < data.length; p++) {
    const length = data.readUInt32BE(p);
    if (length < 2 || length > data.length - p - HEADER) continue;
    if (data[p + HEADER] !== 0x7b || data[p + HEADER + length - 1] !== 0x7d) continue;
    if (!recordProblem(data, p)) return p;
  }
  return -1;
}
