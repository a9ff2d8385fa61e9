// Append-only, crash-safe record file. Each record is
//   [u32 length][u32 crc32 of payload][payload: UTF-8 JSON]
// and is fsynced before append() returns, so an accepted block survives a
// crash. A record cut short by a crash (or with a bad checksum) ends the log:
// open() truncates it away and reports what it discarded.
import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

const HEADER = 8;
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export interface OpenedLog<T> {
  log: BlockLog;
  records: T[];
  /** Present when a torn or corrupt tail was cut off. */
  discarded?: { offset: number; bytes: number; reason: string };
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
    const records: T[] = [];
    let offset = 0;
    let problem: string | null = null;
    while (offset < data.length) {
      problem = recordProblem(data, offset);
      if (problem) break;
      const length = data.readUInt32BE(offset);
      records.push(JSON.parse(data.subarray(offset + HEADER, offset + HEADER + length).toString('utf8')) as T);
      offset += HEADER + length;
    }
    const opened: OpenedLog<T> = { log: new BlockLog(path, fd, offset, io), records };
    if (offset < data.length) {
      ftruncateSync(fd, offset);
      fsyncSync(fd);
      opened.discarded = { offset, bytes: data.length - offset, reason: problem ?? 'unknown' };
    }
    return opened;
  }

  /**
   * The valid records of a log without opening it for writing: for reading a
   * running node's store from another process (`blockchain-node inspect`).
   * A record still being appended reads as a torn tail and is left out.
   */
  static readRecords<T = unknown>(path: string): T[] {
    const data = readFileSync(path);
    const records: T[] = [];
    let offset = 0;
    while (offset < data.length && !recordProblem(data, offset)) {
      const length = data.readUInt32BE(offset);
      records.push(JSON.parse(data.subarray(offset + HEADER, offset + HEADER + length).toString('utf8')) as T);
      offset += HEADER + length;
    }
    return records;
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
