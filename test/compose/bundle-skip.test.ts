// The bundle step is skipped while none of the files the last bundle read
// changed, and runs again when one does (an edited source, an edited
// bundler, a new file under src/, an output that is not the one written).
// A stand-in bundler in a temp build context counts its runs and reports
// what it read, as the real one reports esbuild's metafile inputs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleNodeStep, bundleRecordPath } from '../../cli/pipelines/steps/build-image.step.ts';
import { defaultConfig } from '../../cli/config.ts';
import { Plan } from '../../cli/plan.ts';
import { Redactor } from '../../cli/redact.ts';
import type { AppContext } from '../../cli/context.ts';
import type { PipelineContext } from '../../cli/pipelines/pipeline-context.ts';
import { FakeDocker } from '../helpers/fake-docker.ts';

// Bundles src/main.js and what its first line names (`// uses: lib.js`).
const BUNDLER = `import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const here = fileURLToPath(new URL('.', import.meta.url));
export async function bundleBlockchainNode() {
  appendFileSync(here + 'runs.log', 'run\\n');
  const main = readFileSync(here + 'src/main.js', 'utf8');
  const uses = /^\\/\\/ uses: (\\S+)/.exec(main);
  const inputs = ['src/main.js', ...(uses ? ['src/' + uses[1]] : [])];
  mkdirSync(here + 'dist', { recursive: true });
  const outFile = here + 'dist/blockchain-node.js';
  writeFileSync(outFile, inputs.map((i) => readFileSync(here + i, 'utf8')).join('\\n'));
  return { outFile, inputs };
}
`;

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'devenv-bundle-'));
  const dir = join(root, 'node');
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'bundle.mjs'), BUNDLER);
  writeFileSync(join(dir, 'src/main.js'), '// uses: lib.js\nconsole.log(1);\n');
  writeFileSync(join(dir, 'src/lib.js'), 'export const a = 1;\n');
  writeFileSync(join(dir, 'src/unused.js'), 'export const b = 2;\n');
  const config = { ...defaultConfig(root), image: { name: 'blockchain-node', context: 'node', dockerfile: 'Dockerfile' } };
  const app = { args: { dryRun: false, json: true, verbose: false }, env: {}, config, plan: new Plan(new Redactor()), cwd: root } as Partial<AppContext> as AppContext;
  const ctx: PipelineContext = { app, docker: new FakeDocker() };
  const reports: string[] = [];
  /** Runs the step as the pipeline does: the skip first. Returns the skip reason, or null when it bundled. */
  const up = async (): Promise<string | null> => {
    const skip = await bundleNodeStep.skip!(ctx);
    if (skip) return skip;
    await bundleNodeStep.run(ctx, { report: (m) => reports.push(m) });
    return null;
  };
  const runs = () => readFileSync(join(dir, 'runs.log'), 'utf8').split('\n').filter(Boolean).length;
  return { root, dir, ctx, up, runs, reports, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

test('bundled once, then skipped while nothing it read changed (a file it did not read may change)', async () => {
  const s = setup();
  try {
    assert.is(await s.up(), null);
    assert.is(s.runs(), 1);
    const again = await s.up();
    assert.match(again ?? '', /up to date: none of the 2 files esbuild read changed/);
    writeFileSync(join(s.dir, 'src/unused.js'), 'export const b = 3;\n');
    assert.ok(await s.up(), 'a file the bundle did not read changes nothing');
    assert.is(s.runs(), 1);
    // Touched (new mtime), same content: read again, found equal, still skipped.
    utimesSync(join(s.dir, 'src/lib.js'), new Date(), new Date(Date.now() + 5000));
    assert.ok(await s.up(), 'same content under a new mtime is no change');
    assert.is(s.runs(), 1);
    const { statSync } = await import('node:fs');
    const st = statSync(join(s.dir, 'src/lib.js'));
    assert.is(JSON.parse(readFileSync(bundleRecordPath(s.ctx), 'utf8')).stats['src/lib.js'], `${st.size}:${st.mtimeMs}`, 'the new stat is remembered, so the file is not read next time');
    assert.ok(JSON.parse(readFileSync(bundleRecordPath(s.ctx), 'utf8')).inputs['src/lib.js'], 'the record lives in the state directory');
  } finally {
    s.cleanup();
  }
});

test('an edited source, an edited bundler, a new file under src/ or a tampered output bundles again', async () => {
  const s = setup();
  try {
    await s.up();
    const edits: Array<[string, () => void]> = [
      ['a source it read', () => writeFileSync(join(s.dir, 'src/lib.js'), 'export const a = 2;\n')],
      ['the bundler', () => writeFileSync(join(s.dir, 'bundle.mjs'), `${BUNDLER}// v2\n`)],
      ['a new file under src/', () => writeFileSync(join(s.dir, 'src/lib.ts'), 'export const a = 3;\n')],
      ['the output', () => writeFileSync(join(s.dir, 'dist/blockchain-node.js'), 'not what was bundled')],
    ];
    let expected = 1;
    for (const [what, edit] of edits) {
      edit();
      assert.is(await s.up(), null, `${what}: bundled again`);
      expected++;
      assert.is(s.runs(), expected, what);
      assert.ok(await s.up(), `${what}: then up to date again`);
      assert.is(s.runs(), expected, what);
    }
    assert.ok(s.reports.some((r) => r === 'bundling: src/lib.js changed'), s.reports.join('\n'));
  } finally {
    s.cleanup();
  }
});

test('--dry-run never skips: the plan shows the bundle', async () => {
  const s = setup();
  try {
    await s.up();
    s.ctx.app.args.dryRun = true;
    assert.is(await bundleNodeStep.skip!(s.ctx), false);
  } finally {
    s.cleanup();
  }
});

test.run();
