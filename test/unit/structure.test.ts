// The shape of cli/ as the README's layout describes it, checked on every
// run so that a new import cannot quietly undo it: no cycle between folders
// (each top-level folder of cli/ is one unit, each file directly in cli/ one
// unit), no cycle between files, and no step importing another step (a value
// a later step needs travels on the typed context, a helper lives in its
// domain folder). Tests do not cast their fakes through `unknown`: a fake
// implements the interface, so a renamed method breaks it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/cli.ts';
import { cycleEdges, cycles, fileGraph, folderGraph, importsOf, type Graph } from '../helpers/import-graph.ts';

const files = fileGraph(repoRoot);
const graph = (edges: Record<string, string[]>): Graph => new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));

test('the import reader sees static imports, type imports, re-exports and dynamic import()', () => {
  const text = [
    "import { a } from './a.ts';",
    "import type { B } from '../b/b.ts';",
    "export { c } from './c.ts';",
    "import './side-effect.ts';",
    "const d = await import('./d.ts');",
    "import { execa } from 'execa';",
  ].join('\n');
  assert.equal(importsOf(text, 'cli/x/y.ts', '/r'), ['cli/x/a.ts', 'cli/b/b.ts', 'cli/x/c.ts', 'cli/x/side-effect.ts', 'cli/x/d.ts']);
});

test('the cycle finder finds a folder cycle through a subfolder, and none in a layered graph', () => {
  const layered = graph({ 'cli/commands/up.ts': ['cli/pipelines/p.ts'], 'cli/pipelines/p.ts': ['cli/pipelines/steps/s.ts'], 'cli/pipelines/steps/s.ts': ['cli/pipelines/p.ts', 'cli/k8s/k.ts'], 'cli/k8s/k.ts': ['cli/errors.ts'], 'cli/errors.ts': [] });
  assert.equal(cycles(folderGraph(layered)), []);
  // One import back up the layers: k8s/ -> pipelines/ closes a loop.
  const folders = folderGraph(new Map([...layered, ['cli/k8s/k.ts', new Set(['cli/pipelines/steps/s.ts'])]]));
  assert.equal(cycles(folders), [['k8s/', 'pipelines/']]);
  assert.equal(cycleEdges(folders, ['k8s/', 'pipelines/']), ['k8s/ -> pipelines/', 'pipelines/ -> k8s/']);
});

test('cli/ has no import cycle between folders', () => {
  const folders = folderGraph(files);
  assert.ok(folders.has('pipelines/') && folders.has('commands/') && folders.has('main.ts'), [...folders.keys()].join(', '));
  const found = cycles(folders).map((c) => cycleEdges(folders, c).join(', '));
  assert.equal(found, [], `folder cycles (cut one of these imports):\n${found.join('\n')}`);
});

test('cli/ has no import cycle between files', () => {
  const found = cycles(files).map((c) => cycleEdges(files, c).join(', '));
  assert.equal(found, [], `file cycles:\n${found.join('\n')}`);
});

test('no step imports another step', () => {
  const isStep = (f: string) => f.startsWith('cli/pipelines/steps/');
  const found = [...files].flatMap(([from, tos]) => (isStep(from) ? [...tos].filter(isStep).map((to) => `${from} -> ${to}`) : []));
  assert.ok(files.has('cli/pipelines/steps/k8s-apply.step.ts'));
  assert.equal(found, [], `steps importing steps:\n${found.join('\n')}`);
});

function testSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? testSources(p) : name.endsWith('.ts') ? [p] : [];
  });
}

test('no test casts through unknown (a fake implements the interface it stands in for)', () => {
  const cast = ['as', 'unknown', 'as'].join(' ');
  const found = testSources(join(repoRoot, 'test')).filter((f) => readFileSync(f, 'utf8').includes(cast));
  assert.equal(found, []);
});

test('no code classifies an error by matching its message text (CommandError and ImageBuildError carry fields)', () => {
  // Caught errors (err, error, cause): Kubernetes events and pod statuses have a
  // `message` too, and cli/k8s/pod-diagnosis.ts reads those on purpose.
  const overMessage = /\/[^/\n]+\/[a-z]*\.(test|exec)\(\s*`?\$?\{?(err|error|cause)\.message\b|\b(err|error|cause)\.message\.(match|search|includes|startsWith)\(/;
  assert.ok(overMessage.test('if (/pull|registry/i.test(err.message)) {'), 'the check sees the pattern it forbids');
  assert.ok(overMessage.test('error.message.includes("not found")'));
  const found = [...files.keys()].filter((f) => overMessage.test(readFileSync(join(repoRoot, f), 'utf8')));
  assert.equal(found, []);
});

test('nothing below the context reads process.env, and no step replaces an adapter on the context', () => {
  // main.ts and context.ts are the edge: they hand the environment down (app.env).
  const edge = new Set(['cli/main.ts', 'cli/context.ts']);
  const readsEnv = [...files.keys()].filter((f) => !edge.has(f) && readFileSync(join(repoRoot, f), 'utf8').includes('process.env'));
  assert.equal(readsEnv, []);
  const replaces = /\bctx\.(docker|kind|kubectl)\s*=[^=]/;
  const steps = [...files.keys()].filter((f) => f.startsWith('cli/pipelines/steps/') && replaces.test(readFileSync(join(repoRoot, f), 'utf8')));
  assert.equal(steps, []);
});

test.run();
