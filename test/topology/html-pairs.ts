// The pairs the HTML page is tested on: every fixture of migrate-check (base,
// the foreign shop, the corpus and the defects), each rendered to a page, and
// the data-node keys the page must hold for each node of the model.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatHtmlReport } from '../../cli/report/migrate-check.html.ts';
import { escapeHtml } from '../../cli/report/html.ts';
import { migrateCheckWithTopologies, type CheckedTopologies } from '../../cli/topology/migrate-check.ts';
import { FIXTURES } from './helpers.ts';

export interface FixturePair {
  name: string;
  dir: string;
  compose: string;
  manifests: string;
}

export const FIXTURE_PAIRS: FixturePair[] = [
  { name: 'base', dir: join(FIXTURES, 'base'), compose: 'compose/docker-compose.yml', manifests: 'manifests' },
  { name: 'shop', dir: join(FIXTURES, 'shop'), compose: 'docker-compose.yml', manifests: 'k8s' },
  ...['corpus', 'defects'].flatMap((group) =>
    readdirSync(join(FIXTURES, group))
      .sort()
      .map((name) => ({ name: `${group}/${name}`, dir: join(FIXTURES, group, name), compose: 'compose/docker-compose.yml', manifests: 'manifests' })),
  ),
];

export async function checkPair(p: FixturePair): Promise<CheckedTopologies> {
  // Files as written (no kubectl), no accept file: the page must not depend on either.
  return migrateCheckWithTopologies({ cwd: p.dir, composeFiles: [p.compose], manifests: [p.manifests], environment: {}, accept: null });
}

export async function renderPair(p: FixturePair): Promise<{ checked: CheckedTopologies; page: string }> {
  const checked = await checkPair(p);
  return { checked, page: formatHtmlReport(checked) };
}

/**
 * The data-node attribute (as written in the page) of every node of the model:
 * each Compose service and non-config volume, each workload and StatefulSet
 * pod, each Service, each PersistentVolumeClaim and claim template.
 */
export function modelNodes({ compose, kubernetes }: CheckedTopologies): string[] {
  const keys: string[] = [];
  for (const s of compose.workloads) {
    keys.push(`compose/service/${s.name}`);
    for (const m of s.storage) if (m.kind !== 'config') keys.push(m.kind === 'ephemeral' ? `compose/volume/${s.name}:${m.target}` : `compose/volume/${m.source}`);
  }
  for (const w of kubernetes.workloads) {
    keys.push(`kubernetes/workload/${w.kind}/${w.name}`);
    if (w.kind === 'StatefulSet') for (let i = 0; i < Math.min(w.replicas.value, 8); i++) keys.push(`kubernetes/pod/${w.name}-${i}`);
    for (const m of w.storage) if (m.kind === 'persistent-per-replica' || m.kind === 'persistent-shared') keys.push(`kubernetes/pvc/${m.source}`);
  }
  for (const n of kubernetes.networkNames) keys.push(`kubernetes/service/${n.name}`);
  for (const o of kubernetes.platformObjects) if (o.kind === 'PersistentVolumeClaim') keys.push(`kubernetes/pvc/${o.name}`);
  return [...new Set(keys)].map((k) => `data-node="${escapeHtml(k)}"`);
}
