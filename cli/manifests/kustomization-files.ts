// The names kustomize looks for in a directory, and the lookup: apart from
// the kustomization reader so a command can find a kustomization (and start
// `kubectl kustomize` on it) before it loads the reader.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The directory's kustomization file, or null. */
export function findKustomization(dir: string): string | null {
  for (const n of KUSTOMIZATION_FILES) if (existsSync(join(dir, n))) return join(dir, n);
  return null;
}
