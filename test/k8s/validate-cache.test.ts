// `devenv validate` answers an unchanged tree from its cache, and only then
// (cli/k8s/validate-cache.ts): every edit, a new file, a file read outside
// the target, another kubectl or another flag is a new answer, never a stale
// one. Hit or miss is read from the run's timing marks (DEVENV_TIMINGS=1).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { markRulesPassed, rulesPassedMarker } from '../../cli/k8s/validate-cache.ts';
import { repoRoot } from './helpers.ts';

const box = mkdtempSync(join(tmpdir(), 'devenv-validate-cache-'));
const dir = join(box, 'manifests');
cpSync(join(repoRoot, 'test/fixtures/validate/valid'), dir, { recursive: true });
const env = { DEVENV_CACHE_DIR: join(box, 'cache'), DEVENV_TIMINGS: '1' };

async function validate(extra: string[] = [], more: Record<string, string> = {}) {
  const r = await runCli(['validate', '--manifests', 'manifests', '--json', ...extra], { cwd: box, env: { ...env, ...more } });
  const timings = r.stderr.split('\n').find((l) => l.startsWith('devenv-timings '));
  const marks: string[] = timings ? JSON.parse(timings.slice('devenv-timings '.length)).entries.map((e: any) => e.name) : [];
  const doc = JSON.parse(r.stdout.split('\n').find((l) => l.startsWith('{'))!);
  return { exitCode: r.exitCode, hit: marks.includes('cache hit'), miss: marks.includes('cache miss'), doc, stdout: r.stdout };
}

test('the same tree twice: the second answer is the cache\'s, and the same', async () => {
  const first = await validate();
  assert.is(first.exitCode, 0, first.stdout);
  assert.ok(first.miss);
  const second = await validate();
  assert.ok(second.hit, 'answered from the cache');
  assert.equal(second.doc, first.doc);
  assert.is(second.exitCode, 0);
  const forced = await validate(['--no-cache']);
  assert.ok(!forced.hit && !forced.miss, '--no-cache does not look');
  assert.equal(forced.doc, first.doc);
});

test('an edit is a new answer: a selector that matches nothing is found at once; a new file counts', async () => {
  const service = join(dir, 'service.yaml');
  const original = readFileSync(service, 'utf8');
  writeFileSync(service, original.replace(/app: node\b/, 'app: nodes'));
  assert.is.not(readFileSync(service, 'utf8'), original, 'the fixture has the selector this test breaks');
  const broken = await validate();
  assert.ok(broken.miss);
  assert.is(broken.exitCode, 2);
  assert.ok(broken.doc.findings.some((f: any) => f.rule === 'service-selector' && f.file.endsWith('service.yaml')), JSON.stringify(broken.doc.findings));
  writeFileSync(service, original);
  const back = await validate();
  assert.ok(back.miss, 'the broken answer is not served for the repaired file');
  assert.is(back.exitCode, 0);
  // A file nothing lists yet still changes the tree (kubectl apply -f DIR would read it).
  writeFileSync(join(dir, 'notes.txt'), 'x');
  assert.ok((await validate()).miss);
  assert.ok((await validate()).hit);
});

test('a base outside the target, another kubectl, another flag: each a new answer', async () => {
  // kustomize reads a base in a sibling directory: its files count although the walk of the target does not see them.
  mkdirSync(join(box, 'base'), { recursive: true });
  writeFileSync(join(box, 'base', 'kustomization.yaml'), 'resources:\n  - extra.yaml\n');
  const extra = (mode: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  MODE: "${mode}"\n`;
  writeFileSync(join(box, 'base', 'extra.yaml'), extra('one'));
  const k = join(dir, 'kustomization.yaml');
  writeFileSync(k, `${readFileSync(k, 'utf8').trimEnd()}\n  - ../base\n`);
  const withBase = await validate();
  assert.ok(withBase.miss);
  assert.is(withBase.exitCode, 0, JSON.stringify(withBase.doc.findings));
  assert.ok((await validate()).hit);
  writeFileSync(join(box, 'base', 'extra.yaml'), extra('two'));
  assert.ok((await validate()).miss, 'the base was read, so it counts');
  assert.ok((await validate()).hit);
  // Another kubectl first on PATH (a wrapper: another binary identity).
  const bin = join(box, 'bin');
  mkdirSync(bin, { recursive: true });
  const real = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  writeFileSync(join(bin, 'kubectl'), `#!/bin/sh\nexec ${real} "$@"\n`);
  chmodSync(join(bin, 'kubectl'), 0o755);
  const other = await validate([], { PATH: `${bin}:${process.env.PATH}` });
  assert.ok(other.miss, 'another kubectl binary: rendered again');
  assert.ok((await validate(['--kind-config'])).miss, 'another flag: another answer');
});

test('up --k8s remembers a rules pass by the exact objects, files and devenv build, and nothing else', () => {
  const cache = join(box, 'marker-cache');
  const file = join(box, 'marker-source.yaml');
  writeFileSync(file, 'a: 1\n');
  const objects = [{ kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } }];
  const m = rulesPassedMarker(cache, 'build-1', objects, [file], box)!;
  assert.ok(m.startsWith(join(cache, 'checked')));
  assert.is(rulesPassedMarker(cache, 'build-1', structuredClone(objects), [file, file], box), m, 'the same input, the same marker');
  assert.is.not(rulesPassedMarker(cache, 'build-2', objects, [file], box), m, 'another build of devenv');
  assert.is.not(rulesPassedMarker(cache, 'build-1', [{ ...objects[0], data: { a: '2' } }], [file], box), m, 'other objects');
  writeFileSync(file, 'a: 1 # moved\n');
  assert.is.not(rulesPassedMarker(cache, 'build-1', objects, [file], box), m, 'a source file changed (its lines may have moved)');
  assert.is(rulesPassedMarker(cache, null, objects, [file], box), null, 'run from sources: no identity, no marker');
  markRulesPassed(m);
  assert.ok(existsSync(m));
});

test.after(() => rmSync(box, { recursive: true, force: true }));
test.run();
