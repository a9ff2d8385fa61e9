// Renders a kustomize dir with `kubectl kustomize` on a throwaway copy in which
// each generator input that is git-ignored and missing (e.g. secrets.env) is
// filled from its checked-in `<name>.example`.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface K8sObject { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: any }; spec?: any; [k: string]: any }

function fillExamples(dir: string): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) fillExamples(p);
    else if (name.endsWith('.example')) {
      const real = p.slice(0, -'.example'.length);
      if (!existsSync(real)) cpSync(p, real);
    }
  }
}

export async function renderKustomize(dir: string): Promise<{ yaml: string; objects: K8sObject[] }> {
  const tmp = mkdtempSync(join(tmpdir(), 'devenv-kustomize-'));
  try {
    const copy = join(tmp, 'm');
    cpSync(dir, copy, { recursive: true });
    fillExamples(copy);
    const yaml = await new Promise<string>((resolve, reject) => {
      const child = spawn('kubectl', ['kustomize', copy], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '', err = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { err += d; });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`kubectl kustomize ${dir} failed: ${err}`))));
    });
    const objects = parseAllDocuments(yaml).map((d) => d.toJS()).filter((o) => o && o.kind) as K8sObject[];
    return { yaml, objects };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
