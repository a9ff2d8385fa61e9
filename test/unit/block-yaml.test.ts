// The fast path of the located-YAML reader (cli/manifests/block-yaml.ts)
// builds exactly the tree the general parser (yaml) builds, values, lines and
// key lines alike, on every YAML file of the project and its fixtures and on
// the edge cases below; where it is unsure it hands over (null), and it does
// read the manifests and `kubectl kustomize` output it exists for.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseBlockYaml } from '../../cli/manifests/block-yaml.ts';
import { parseLocatedYaml, parseWithYaml } from '../../cli/manifests/located-yaml.ts';
import { DevenvError } from '../../cli/errors.ts';
import { repoRoot } from '../helpers/cli.ts';

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

const VERSIONS = ['1.1', '1.2'] as const;

function sameAsGeneral(text: string, file: string, version: '1.1' | '1.2'): 'fast' | 'handed over' {
  const fast = parseBlockYaml(text, file, version);
  if (fast === null) return 'handed over';
  assert.equal(fast, parseWithYaml(text, file, { version }), `${file} (YAML ${version})`);
  return 'fast';
}

test('every YAML file of the project and its fixtures: the fast tree equals the general one (or it hands over)', () => {
  const files = ['manifests', 'compose', 'test/fixtures'].flatMap((d) => yamlFiles(join(repoRoot, d)));
  assert.ok(files.length > 50, `${files.length} files`);
  let fast = 0;
  for (const f of files) for (const v of VERSIONS) if (sameAsGeneral(readFileSync(f, 'utf8'), relative(repoRoot, f), v) === 'fast') fast++;
  // Most of them are in the subset: a fast path that always hands over would be no speed-up.
  assert.ok(fast > files.length, `${fast} of ${files.length * 2} read fast`);
});

test("this project's manifests and kubectl kustomize's output style are read fast", () => {
  for (const f of yamlFiles(join(repoRoot, 'manifests'))) assert.ok(parseBlockYaml(readFileSync(f, 'utf8'), f, '1.1'), f);
  const kubectlStyle = [
    'apiVersion: v1',
    'data:',
    '  Settings.toml: |',
    '    [node]',
    '    port = 2001',
    'kind: ConfigMap',
    'metadata:',
    '  labels:',
    '    app.kubernetes.io/part-of: devenv',
    '  name: node-config-5h8k2m9t4c',
    '  namespace: blockchain',
    '---',
    'apiVersion: apps/v1',
    'kind: StatefulSet',
    'spec:',
    '  replicas: 1',
    '  template:',
    '    spec:',
    '      containers:',
    '      - args:',
    '        - --port',
    '        - "2001"',
    '        env:',
    '        - name: A',
    "          value: ''",
    '        image: blockchain-node:dev',
    '        resources:',
    '          limits:',
    '            cpu: 500m',
    '            memory: 256Mi',
    '          requests:',
    '            cpu: 0.25',
    '        securityContext:',
    '          capabilities:',
    '            drop:',
    '            - ALL',
    '          readOnlyRootFilesystem: true',
    '',
  ].join('\n');
  // Compose files (YAML 1.2) with anchors and merge keys, this project's among them.
  assert.ok(parseBlockYaml(readFileSync(join(repoRoot, 'compose/docker-compose.yml'), 'utf8'), 'compose/docker-compose.yml', '1.2'));
  for (const [text] of ANCHOR_CASES.slice(0, 3)) assert.ok(parseBlockYaml(text, 'case', '1.2'), text);
  const docs = parseBlockYaml(kubectlStyle, 'out', '1.1');
  assert.ok(docs);
  assert.is(docs.length, 2);
  sameAsGeneral(kubectlStyle, 'out', '1.1');
});

// Anchors, aliases and (YAML 1.2) merge keys, as Compose files use them; YAML 1.1 hands merges over (its `<<` is a tag).
// [text, read fast as YAML 1.1?]; the first three are read fast as YAML 1.2.
const ANCHOR_CASES: Array<[string, boolean]> = [
  ['x: &n\n  a: 1\n  h: &h\n    t: [a]\n    i: 5s\ns:\n  one:\n    <<: *n\n    a: 2\n    h:\n      <<: *h\n      i: 1s\n  two:\n    <<: *n\n    z: *h\n', false],
  ['a: &v 5\nb: *v\nc:\n- &m\n  k: 1\n- *m\nd: &e\ne: *e\n', true],
  ['a: &a {k: 1}\nb: &b {j: 2}\nc:\n  <<: [*a, *b]\n  k: 0\n', false],
  ['a: &a\n  b: *a\n', false],
  ['a: *nope\n', false],
  ['a: &x 1\nb:\n  <<: *x\n', false],
  ['a: &x {k: 1}\nb:\n  <<: *x\n  <<: *x\n', false],
];

// [text, read fast?]: every case is also compared with the general parser.
const CASES: Array<[string, boolean]> = [
  ['a:   # c\nb:\n\n  # x\nc: 1\n', true],
  ['- \n-   # c\n- a\n-\n  - b\n', true],
  ['a: |\n  x\n\n  y\n\nb: |-\n    deep\n      more\n  \n', true],
  ['a: |\n  x\n  # not a comment\n# comment\nb: 1\n', true],
  ['k:\n- a: 1\n  b: [x, "y z", \'q\', 1, true, yes, on]\n- c: {}\n  d: []\n', true],
  ['a: { app: web, "t": "x y", n: 1, b: yes }\nb: {}\nc: { }\nd: {a: 1}\nh: { "k": v }  # c\n', true],
  ['---\n# only a comment\n---\na: 1\n---\n', true],
  ['a: "esc \\" \\\\ \\n \\t"\nb: \'it\'\'s\'\nc: "#not a comment" # comment\nd: x # comment\ne: x#y\n', true],
  ['a:\n  b:\n    c: 1\n  d:\n  - x\n  - y: 2\n    z:\n      - 3\ne: 4\n', true],
  ['  a: 1\n  b: 2\n', true],
  ['args:\n- --kubelet-preferred-address-types=InternalIP\n- "--secure-port=10250"\nenv: []\ncmd: [ ]\n', true],
  ['a:\n-\n  b: 1\n- c\n', true],
  ['a: { b: { c: [1, "x", {d: e}], f: [] }, g: {} }\nh: [[a], [b, [c]], {}]\ni: {a: [1, 2]}  # c\n', true],
  ['empty: ""\nsq: \'\'\nurl: http://x:8080/a\nf: 0.5\ng: -3\nm: ~\nn: Null\n', true],
  // Handed over: numbers in other forms, YAML 1.1 times, escapes, multi-line and folded scalars, errors.
  ['yes: 1\nport: "8080:80"\np2: 8080:80\nh: 1e3\ni: .5\nj: 07\nk: 0x1F\nl: 2020-01-01\no: 12345678901234567890\n', false],
  ['a: "\\u00e9"\n', false],
  ['a: x\n  y\n', false],
  ['a: >-\n  folded\n', false],
  ['a: |\n  no line break at the end', false],
  ['x: &a !!str 1\ny: *a\n', false],
  ['a: !!str 1\n', false],
  ['a: b: c\n', false],
  ['a: 1\na: 2\n', false],
  ['a:\n  - x\n  y: 1\n', false],
  ['- a\n- - b\n', false],
  ['a: [a, b,]\n', false],
  ['a: { b: { c: 1 }\n', false],
  ['a: { b: { c: 1 } } x\n', false],
  ['a: |\n   x\n  y\n', false],
  ['a: 1\n...\n', false],
  ['a:\tb\n', false],
];

test('edge cases: read fast exactly as the general parser reads them, or handed over', () => {
  for (const [text, fast] of [...CASES, ...ANCHOR_CASES]) {
    for (const v of VERSIONS) {
      let general: unknown;
      try {
        general = parseWithYaml(text, 'case', { version: v });
      } catch {
        general = 'error';
      }
      const got = parseBlockYaml(text, 'case', v);
      if (got) assert.equal(got, general, JSON.stringify(text));
      if (v === '1.1' || fast) assert.is(got !== null, fast, `${JSON.stringify(text)} (YAML ${v}) read fast: ${got !== null}`);
    }
  }
});

test('a syntax error is still the general parser\'s usage error, with its line', () => {
  try {
    parseLocatedYaml('a: 1\nb: [x\nc: 2\n', 'broken.yaml');
    assert.unreachable('parsed');
  } catch (err) {
    assert.instance(err, DevenvError);
    assert.is((err as DevenvError).location?.file, 'broken.yaml');
    assert.ok(((err as DevenvError).location?.line ?? 0) >= 2);
  }
});

test.run();
