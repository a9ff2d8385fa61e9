// The kustomization reader's outline (cli/manifests/kustomization.ts), which
// lets `kubectl kustomize` start before the manifests are parsed: once its
// objects are parsed it is the same tree, with the same files in the same
// order, as a plain read; and an error comes out as a plain read raises it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManifestReader } from '../../cli/manifests/kustomization.ts';
import { DevenvError } from '../../cli/errors.ts';
import { repoRoot } from './helpers.ts';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-outline-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function errorOf(f: () => unknown): DevenvError {
  try {
    f();
  } catch (err) {
    assert.instance(err, DevenvError);
    return err as DevenvError;
  }
  return assert.unreachable('no error') as never;
}

test("outline + parseObjects equals a plain read: this project's manifests and a nested tree", () => {
  const nested = tree({
    'kustomization.yaml': 'resources:\n- a.yaml\n- base\n- c.yaml\nconfigMapGenerator:\n- name: cfg\n  envs: [cfg.env]\n',
    'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    'base/kustomization.yaml': 'resources:\n- b.yaml\n',
    'base/b.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b2\n',
    'c.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: c\n',
    'cfg.env': 'K=1\n',
  });
  try {
    for (const [cwd, dir] of [[repoRoot, join(repoRoot, 'manifests')], [nested, nested]]) {
      const plain = new ManifestReader({ cwd });
      const whole = plain.kustomization(dir);
      const outlined = new ManifestReader({ cwd });
      const { k, parseObjects } = outlined.outline(dir);
      assert.ok(k.objects.length + k.children.reduce((n, c) => n + c.objects.length, 0) === 0, 'nothing parsed before parseObjects()');
      assert.equal(outlined.files, plain.files, 'files in the same order before the manifests are parsed');
      parseObjects();
      assert.equal(k, whole);
      assert.equal(outlined.files, plain.files);
      assert.equal(outlined.notes, plain.notes);
    }
  } finally {
    rmSync(nested, { recursive: true, force: true });
  }
});

test('an error comes out as a plain read raises it: a broken manifest listed before a missing resource wins', () => {
  const dir = tree({
    'kustomization.yaml': 'resources:\n- broken.yaml\n- missing.yaml\n',
    'broken.yaml': 'apiVersion: v1\nkind: [ConfigMap\n',
  });
  try {
    const plain = errorOf(() => new ManifestReader({ cwd: dir }).kustomization(dir));
    const outlined = errorOf(() => new ManifestReader({ cwd: dir }).outline(dir));
    assert.is(outlined.message, plain.message);
    assert.equal(outlined.location, plain.location);
    assert.equal(outlined.location?.file, 'broken.yaml');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
