// A minimal ustar writer for the image build context. devenv decides which
// files are sent (build-context.ts); dockerode's own .dockerignore filter
// would drop the Dockerfile under a `*` rule, so the archive is made here.
// Entries have fixed owner and mtime so the same inputs make the same bytes.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mode: number, type: '0' | '5' = '0'): Buffer {
  const h = Buffer.alloc(512, 0);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`path too long for a tar entry: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii');
  h.write(octal(0, 8), 116, 8, 'ascii');
  h.write(octal(size, 12), 124, 12, 'ascii');
  h.write(octal(0, 12), 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii');
  h.write(type, 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
  return h;
}

export interface TarEntry {
  name: string;
  mode: number;
  /** A file's content; absent for a directory. */
  data?: Buffer;
}

/** A tar archive of the given entries, in order. */
export function tarEntries(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (!e.data) {
      parts.push(header(e.name.endsWith('/') ? e.name : `${e.name}/`, 0, e.mode, '5'));
      continue;
    }
    parts.push(header(e.name, e.data.length, e.mode), e.data);
    const pad = (512 - (e.data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return Buffer.concat(parts);
}

/** A tar archive of the given context-relative files. */
export function tarFiles(contextDir: string, files: string[]): Buffer {
  return tarEntries(
    files.map((f) => {
      const abs = join(contextDir, f);
      return { name: f, data: readFileSync(abs), mode: statSync(abs).mode & 0o111 ? 0o755 : 0o644 };
    }),
  );
}
