// The pure parts of `up --watch`: which change takes which path, the
// debouncing of bursts, the node's error lines, esbuild's failure as
// file:line, and which rendered objects changed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Debouncer, classifyChange, imageFilesOf, planBatch, type WatchLayout } from '../../cli/watch/changes.ts';
import { errorLines } from '../../cli/watch/node-logs.ts';
import { bundleFailure } from '../../cli/watch/bundle.ts';
import { appliedForms, changedRefs } from '../../cli/watch/k8s-target.ts';
import { buildIdOfBundleText } from '../../cli/build/build-id.ts';

const ctxDir = '/p/images/blockchain-node';
const layout: WatchLayout = {
  contextDir: ctxDir,
  imageFiles: imageFilesOf(ctxDir, 'Dockerfile', (p) => p === '/p/package.json'),
  composeFile: '/p/compose/docker-compose.yml',
  manifestsDir: '/p/manifests',
};

test('image files: Dockerfile, .dockerignore, the package files of the context and of the nearest ancestor with one', () => {
  assert.equal(layout.imageFiles, [`${ctxDir}/Dockerfile`, `${ctxDir}/.dockerignore`, `${ctxDir}/package.json`, `${ctxDir}/package-lock.json`, '/p/package.json', '/p/package-lock.json']);
});

test('each path is classified: sources, image files, the Compose file, manifests; build output and temporary files are not', () => {
  const cases: Array<[string, string]> = [
    [`${ctxDir}/src/http/routes.ts`, 'source'],
    [`${ctxDir}/bundle.mjs`, 'source'],
    [`${ctxDir}/Dockerfile`, 'image'],
    ['/p/package-lock.json', 'image'],
    ['/p/compose/docker-compose.yml', 'compose'],
    ['/p/compose/Settings.toml', 'ignored'],
    ['/p/manifests/webserver.yaml', 'manifests'],
    ['/p/manifests/.webserver.yaml.swp', 'ignored'],
    [`${ctxDir}/dist/blockchain-node.js`, 'ignored'],
    [`${ctxDir}/src/http/sedAb12Cd`, 'ignored'],
    [`${ctxDir}/src/http/.routes.ts.swp`, 'ignored'],
    [`${ctxDir}/README.md`, 'ignored'],
    ['/elsewhere/x.ts', 'ignored'],
  ];
  for (const [path, kind] of cases) assert.is(classifyChange(path, layout), kind, path);
});

test('a batch: an image file makes the node change a full path; sources alone a fast path; topology alone no node path', () => {
  assert.is(planBatch([`${ctxDir}/src/a.ts`, `${ctxDir}/src/b.ts`], layout).nodePath, 'fast');
  const both = planBatch([`${ctxDir}/src/a.ts`, `${ctxDir}/Dockerfile`, `${ctxDir}/src/a.ts`], layout);
  assert.is(both.nodePath, 'full');
  assert.equal(both.source, [`${ctxDir}/src/a.ts`]);
  const topo = planBatch(['/p/compose/docker-compose.yml', `${ctxDir}/dist/blockchain-node.js`], layout);
  assert.is(topo.nodePath, null);
  assert.equal(topo.compose, ['/p/compose/docker-compose.yml']);
});

test('the debouncer hands over a burst once, after it has been quiet', () => {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let next = 1;
  const set = (fn: () => void, ms: number) => {
    timers.push({ at: now + ms, fn, id: next });
    return next++;
  };
  const clear = (id: unknown) => {
    const i = timers.findIndex((t) => t.id === id);
    if (i >= 0) timers.splice(i, 1);
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((x) => x.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  };
  const flushed: string[][] = [];
  const d = new Debouncer(150, (p) => flushed.push(p.sort()), { set, clear });
  d.add('a');
  advance(100);
  d.add('b');
  advance(100);
  d.add('a');
  assert.equal(flushed, [], 'nothing while writes keep coming');
  advance(149);
  assert.equal(flushed, []);
  advance(1);
  assert.equal(flushed, [['a', 'b']]);
  d.add('c');
  d.cancel();
  advance(1000);
  assert.equal(flushed, [['a', 'b']], 'cancel drops what was pending');
});

test("the node's ERROR lines, without timestamps, the last three", () => {
  const log = [
    '2026-01-01T00:00:00.000Z INFO  starting blockchain node role=webserver',
    '2026-01-01T00:00:00.100Z ERROR failed to start: boom-on-start code=undefined',
    '2026-01-01T00:00:00.200Z WARN  something',
  ].join('\n');
  assert.is(errorLines(log), 'failed to start: boom-on-start code=undefined');
  assert.is(errorLines('2026-01-01T00:00:00.000Z INFO  fine'), null);
});

test("esbuild's failure becomes file:line:column, the message, the line of code and a fix", () => {
  const err = Object.assign(new Error('Build failed with 2 errors'), {
    errors: [
      { text: 'Expected "}" but found ")"', location: { file: 'src/http/routes.ts', line: 57, column: 44, lineText: "const live = (): RouteResult => ({ data: { status: 'x' ) });" } },
      { text: 'another', location: null },
    ],
  });
  const e = bundleFailure(err, '/p/images/blockchain-node', '/p');
  assert.is(e.toParagraph(), 'images/blockchain-node/src/http/routes.ts:57:45: the node does not compile: Expected "}" but found ")" (and 1 more error). Fix: fix the source at that line and save again.');
  assert.match(e.details ?? '', /status: 'x' \)/);
  assert.is(bundleFailure(new Error('disk full'), '/p', '/p').message, 'bundling the node failed: disk full');
});

test('the build id is read from the banner only', () => {
  assert.is(buildIdOfBundleText('#!/usr/bin/env node\nconst __DEVENV_BUILD_ID = "0123456789ab";\nrest'), '0123456789ab');
  assert.is(buildIdOfBundleText('#!/usr/bin/env node\nconsole.log(1)'), null);
});

test('k8s: only objects whose applied form changed (image pins included) are applied', () => {
  const sts = (image: string) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'miner' }, spec: { template: { spec: { containers: [{ name: 'blockchain-node', image }] } } } });
  const cm = (v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'blockchain-config' }, data: { A: v } });
  const before = appliedForms([sts('blockchain-node:dev'), cm('1')], { 'blockchain-node': 'blockchain-node:aaa' });
  assert.equal(changedRefs(before, appliedForms([sts('blockchain-node:dev'), cm('1')], { 'blockchain-node': 'blockchain-node:aaa' })), []);
  assert.equal(changedRefs(before, appliedForms([sts('blockchain-node:dev'), cm('1')], { 'blockchain-node': 'blockchain-node:bbb' })), ['StatefulSet/miner']);
  assert.equal(changedRefs(before, appliedForms([sts('blockchain-node:dev'), cm('2'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'new' } }], { 'blockchain-node': 'blockchain-node:aaa' })), ['ConfigMap/blockchain-config', 'Service/new']);
});

test.run();
