// The one manifest layer (cli/manifests/): the in-process renderer applies
// every kustomization key it claims exactly as `kubectl kustomize` does (name
// prefix/suffix with references, kustomize's name hash, namespace, labels,
// common labels and annotations, images, replicas, generator options), and
// each object carries its JSON, its located tree and lineOf(path).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadManifests } from '../../cli/manifests/render.ts';
import { skipIf } from '../helpers/skip.ts';
import { repoRoot } from './helpers.ts';

const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client', '-o', 'json'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const kubectl = skipIf(hasKubectl ? false : 'kubectl is not on PATH');
const KEYS = 'test/fixtures/manifests/kustomize-keys';
const key = (o: any) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`;

kubectl('in-process render of every claimed key equals kubectl kustomize, object by object', async () => {
  const viaKubectl = parseAllDocuments(execFileSync('kubectl', ['kustomize', join(repoRoot, KEYS)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).map((d) => d.toJS());
  const r = await loadManifests([KEYS], { cwd: repoRoot });
  assert.is(r.renderer, 'builtin');
  const builtin = r.objects.map((o) => JSON.parse(JSON.stringify(o.object)));
  assert.equal(builtin.map(key).sort(), viaKubectl.map(key).sort());
  for (const o of viaKubectl) {
    const b = builtin.find((x) => key(x) === key(o));
    assert.ok(isDeepStrictEqual(o, b), `${key(o)} differs:\n${JSON.stringify(o)}\n${JSON.stringify(b)}`);
  }
  assert.equal(r.notes.filter((n) => n.key !== 'kustomize:not-rendered'), [], 'every key is applied, none reported');
});

test('objects carry their JSON, located tree and lineOf; values set by the kustomization point at it', async () => {
  const r = await loadManifests([KEYS], { cwd: repoRoot });
  const dep = r.objects.find((o) => o.kind === 'Deployment')!;
  assert.is(dep.name, 'shop-api-v2');
  assert.is(dep.namespace, 'shop');
  assert.equal([dep.file, dep.line], [`${KEYS}/base/app.yaml`, 1]);
  assert.is(dep.lineOf(['spec', 'template', 'spec', 'containers', 0, 'volumeMounts', 0]), 23);
  assert.equal(dep.locOf(['spec', 'template', 'spec', 'containers', 0, 'image']), { file: `${KEYS}/kustomization.yaml`, line: 23 });
  assert.equal(dep.locOf(['spec', 'replicas']), { file: `${KEYS}/kustomization.yaml`, line: 30 });
  assert.is(dep.object.spec.template.spec.containers[0].envFrom[0].configMapRef.name, 'shop-settings-v2-6m7mdtkmk6');
  const secret = r.objects.find((o) => o.kind === 'Secret')!;
  assert.is(secret.generator?.name, 'token');
});

kubectl('kubectl-rendered objects are traced back to the lines they were written at', async () => {
  const kustomize = async (dir: string) => execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const r = await loadManifests([KEYS], { cwd: repoRoot, kustomize });
  assert.is(r.renderer, 'kubectl');
  const dep = r.objects.find((o) => o.kind === 'Deployment')!;
  assert.equal([dep.file, dep.line], [`${KEYS}/base/app.yaml`, 1]);
  assert.is(dep.lineOf(['spec', 'template', 'spec', 'containers', 0, 'volumeMounts', 0]), 23);
  const cm = r.objects.find((o) => o.kind === 'ConfigMap')!;
  assert.equal([cm.generator?.name, cm.lineOf(['data', 'MODE'])], ['settings', 7]);
});

test.run();
