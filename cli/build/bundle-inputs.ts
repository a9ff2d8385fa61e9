// Whether the node's bundle is up to date, without running esbuild: after a
// bundle devenv records the content hash of every file esbuild read (its
// metafile inputs, node_modules included), of the bundler script, of the
// esbuild version, of the names of the files under src/ (a new file can
// change what an import resolves to) and of the output. The next `up`
// re-hashes those files whose size or mtime moved; any difference, a missing
// file or a changed output means bundle again. A new import can only enter through an edit to a file
// already read, so the recorded list is enough.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';

export interface BundleRecord {
  /** The build context the record is for (absolute). */
  context: string;
  /** sha256 of the bundler script, the esbuild version and the names under src/. */
  setup: string;
  /** Context-relative input path -> sha256 of its content. */
  inputs: Record<string, string>;
  /** Context-relative input path -> `size:mtimeMs` when recorded: an unchanged stat is not read again. */
  stats?: Record<string, string>;
  /** sha256 of the bundle written. */
  output: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function fileHash(path: string): string | null {
  try {
    return sha256(readFileSync(path));
  } catch {
    return null;
  }
}

function fileNames(dir: string, root: string): string[] {
  let out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) out = out.concat(fileNames(abs, root));
    else out.push(relative(root, abs).split(sep).join('/'));
  }
  return out;
}

function esbuildVersion(context: string): string {
  try {
    const req = createRequire(join(context, 'bundle.mjs'));
    return String(JSON.parse(readFileSync(req.resolve('esbuild/package.json'), 'utf8')).version);
  } catch {
    return 'unknown';
  }
}

/** What the bundle depends on besides its inputs' contents. */
export function bundleSetupHash(context: string): string {
  return sha256(JSON.stringify({ bundler: fileHash(join(context, 'bundle.mjs')), esbuild: esbuildVersion(context), src: fileNames(join(context, 'src'), context) }));
}

/** The record to keep after a bundle of `context` that read `inputs` and wrote `outFile`. */
export function bundleRecord(context: string, inputs: string[], outFile: string): BundleRecord {
  const hashes: Record<string, string> = {};
  const stats: Record<string, string> = {};
  for (const i of [...inputs].sort()) {
    hashes[i] = fileHash(join(context, i)) ?? 'missing';
    stats[i] = statKey(join(context, i));
  }
  return { context, setup: bundleSetupHash(context), inputs: hashes, stats, output: fileHash(outFile) ?? 'missing' };
}

/** The stats the record keeps for `inputs`, as they are now. */
export function bundleStats(context: string, inputs: string[]): Record<string, string> {
  return Object.fromEntries([...inputs].sort().map((i) => [i, statKey(join(context, i))]));
}

/** Size and modification time, as make and git compare them first; '' when there is no file. */
function statKey(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '';
  }
}

export function parseBundleRecord(text: string | null): BundleRecord | null {
  if (!text) return null;
  try {
    const r = JSON.parse(text) as BundleRecord;
    return typeof r?.context === 'string' && typeof r.setup === 'string' && typeof r.output === 'string' && r.inputs && typeof r.inputs === 'object' ? r : null;
  } catch {
    return null;
  }
}

/** Why `context` must be bundled again (a sentence), or null when the recorded bundle is still what esbuild would write. */
export function bundleStaleReason(context: string, outFile: string, record: BundleRecord | null): string | null {
  if (!record) return 'no record of an earlier bundle';
  if (record.context !== context) return `the last bundle recorded was of ${record.context}`;
  if (Object.keys(record.inputs).length === 0) return 'the last bundle recorded no inputs';
  if (bundleSetupHash(context) !== record.setup) return 'the bundler, esbuild or the set of files under src/ changed';
  for (const [input, hash] of Object.entries(record.inputs)) {
    // Same size and mtime as recorded: not read again (about 600 files, node_modules included).
    const stat = record.stats?.[input];
    if (stat && stat === statKey(join(context, input))) continue;
    if ((fileHash(join(context, input)) ?? 'missing') !== hash) return `${input} changed`;
  }
  if (fileHash(outFile) !== record.output) return `${relative(context, outFile)} is not the bundle devenv wrote`;
  return null;
}
