// devenv's own small state under <root>/.devenv/ (git-ignored), and the file
// facts the steps compare with it. Writes are recorded in the plan and skipped
// under --dry-run.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Plan } from '../plan.ts';

/** The file's text, or null when there is none (or it cannot be read). */
export function readTextIfPresent(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The file's last modification (ms since the epoch), or 0 when it does not exist. */
export function modifiedMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

export function writeStateFile(path: string, text: string, opts: { plan: Plan; dryRun: boolean; note: string }): void {
  opts.plan.record({ kind: 'file', path, content: text, note: opts.note });
  if (opts.dryRun) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
