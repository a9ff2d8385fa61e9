// The Compose CLI is detected once per machine: the answer is reused while
// the binaries are the same files (path, size, mtime), and detected again
// when one changes, appears or moves. Pure: temp files stand in for the
// binaries, a counter for the detection.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedComposeCli, composeCliCacheFile, composeCliIdentity } from '../../cli/adapters/compose-cli-cache.ts';
import type { ComposeCli } from '../../cli/adapters/compose.ts';

function machine() {
  const root = mkdtempSync(join(tmpdir(), 'devenv-compose-cache-'));
  const bin = join(root, 'bin');
  const home = join(root, 'home');
  mkdirSync(bin);
  mkdirSync(home);
  const exe = (path: string, text: string) => {
    writeFileSync(path, text);
    chmodSync(path, 0o755);
  };
  exe(join(bin, 'docker'), '#!/bin/sh\necho docker 1\n');
  const env = { PATH: bin, HOME: home };
  let detections = 0;
  let answer: ComposeCli | null = { flavor: 'v2', argv: ['docker', 'compose'], version: '2.40.3' };
  const cacheFile = composeCliCacheFile(join(root, 'cache'));
  const find = (e: NodeJS.ProcessEnv = env) =>
    cachedComposeCli({
      env: e,
      cacheFile,
      detect: async () => {
        detections++;
        return answer;
      },
    });
  return { root, bin, home, env, exe, find, detections: () => detections, setAnswer: (a: ComposeCli | null) => (answer = a), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

test('the second lookup with the same binaries detects nothing and answers the same CLI', async () => {
  const m = machine();
  try {
    const first = await m.find();
    const second = await m.find();
    assert.equal(first, { flavor: 'v2', argv: ['docker', 'compose'], version: '2.40.3' });
    assert.equal(second, first);
    assert.is(m.detections(), 1);
  } finally {
    m.cleanup();
  }
});

test('a changed docker binary (other size, or only another mtime) is detected again', async () => {
  const m = machine();
  try {
    await m.find();
    m.exe(join(m.bin, 'docker'), '#!/bin/sh\necho docker 2, a longer build\n');
    m.setAnswer({ flavor: 'v2', argv: ['docker', 'compose'], version: '2.41.0' });
    assert.is((await m.find())?.version, '2.41.0');
    assert.is(m.detections(), 2);
    // Same size, new mtime (a reinstall of the same length).
    utimesSync(join(m.bin, 'docker'), new Date(), new Date(Date.now() + 60_000));
    await m.find();
    assert.is(m.detections(), 3);
    await m.find();
    assert.is(m.detections(), 3, 'unchanged again: cached');
  } finally {
    m.cleanup();
  }
});

test('a Compose plugin installed later, or a docker-compose appearing on PATH, invalidates the entry', async () => {
  const m = machine();
  try {
    m.setAnswer({ flavor: 'v1', argv: ['docker-compose'], version: '1.29.2' });
    await m.find();
    mkdirSync(join(m.home, '.docker', 'cli-plugins'), { recursive: true });
    m.exe(join(m.home, '.docker', 'cli-plugins', 'docker-compose'), 'plugin');
    m.setAnswer({ flavor: 'v2', argv: ['docker', 'compose'], version: '2.40.3' });
    assert.is((await m.find())?.flavor, 'v2');
    assert.is(m.detections(), 2);
    m.exe(join(m.bin, 'docker-compose'), 'v1');
    await m.find();
    assert.is(m.detections(), 3);
  } finally {
    m.cleanup();
  }
});

test('another PATH (another docker) is another key; nothing found is not cached', async () => {
  const m = machine();
  try {
    await m.find();
    const other = join(m.root, 'other-bin');
    mkdirSync(other);
    m.exe(join(other, 'docker'), '#!/bin/sh\necho docker 1\n');
    await m.find({ ...m.env, PATH: other });
    assert.is(m.detections(), 2);
    const ids = composeCliIdentity({ ...m.env, PATH: other });
    assert.is(ids[0].path, join(other, 'docker'));

    m.setAnswer(null);
    m.exe(join(m.bin, 'docker'), 'changed so the entry is stale');
    assert.is(await m.find(), null);
    assert.is(await m.find(), null);
    assert.is(m.detections(), 4, 'a missing Compose is looked for every time');
  } finally {
    m.cleanup();
  }
});

test('a corrupt cache file is ignored and replaced', async () => {
  const m = machine();
  try {
    await m.find();
    writeFileSync(composeCliCacheFile(join(m.root, 'cache')), '{"key": 1, "cli": "nonsense"');
    assert.is((await m.find())?.flavor, 'v2');
    assert.is(m.detections(), 2);
    await m.find();
    assert.is(m.detections(), 2);
  } finally {
    m.cleanup();
  }
});

test.run();
