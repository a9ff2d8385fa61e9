// The one env-file reader: Docker Compose's syntax (the cases of the Compose
// documentation, and what `docker compose config` v2.40 printed for the
// others), kustomize's literal `envs:` reading (checked against
// `kubectl kustomize` when kubectl is installed), and dev-secrets rewriting
// only its own keys.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ensureDevSecrets } from '../../cli/dev-secrets.ts';
import { parseEnvFile } from '../../cli/env-file.ts';
import { Redactor } from '../../cli/redact.ts';
import { skipIf } from '../helpers/skip.ts';

const values = (text: string, dialect?: 'compose' | 'kustomize') => Object.fromEntries(parseEnvFile(text, { dialect }).values);

// [file text, the variables Compose defines from it]
const COMPOSE: [string, Record<string, string>][] = [
  // The Compose documentation's examples.
  ['VAR=VAL', { VAR: 'VAL' }],
  ['VAR="VAL"', { VAR: 'VAL' }],
  ["VAR='VAL'", { VAR: 'VAL' }],
  ['VAR=VAL # comment', { VAR: 'VAL' }],
  ['VAR=VAL# not a comment', { VAR: 'VAL# not a comment' }],
  ['VAR="VAL # not a comment"', { VAR: 'VAL # not a comment' }],
  ['VAR="VAL" # comment', { VAR: 'VAL' }],
  ["VAR='$OTHER'", { VAR: '$OTHER' }],
  ["VAR='${OTHER}'", { VAR: '${OTHER}' }],
  ["VAR='Let\\'s go!'", { VAR: "Let's go!" }],
  ['VAR="{\\"hello\\": \\"json\\"}"', { VAR: '{"hello": "json"}' }],
  ['VAR="some\\tvalue"', { VAR: 'some\tvalue' }],
  ["VAR='some\\tvalue'", { VAR: 'some\\tvalue' }],
  ['VAR=some\\tvalue', { VAR: 'some\\tvalue' }],
  // Comments, blank lines, `export`, spacing.
  ['# comment\n  # indented comment\n\nK=1\n', { K: '1' }],
  ['export D=1\nexport\tE=2\nexportF=3\nexport.G=4', { D: '1', E: '2', exportF: '3', 'export.G': '4' }],
  ['  E = spaced  ', { E: 'spaced' }],
  ['Q= "lead"', { Q: 'lead' }],
  ['A=lead  inner  trail  ', { A: 'lead  inner  trail' }],
  // Only a space starts an inline comment; a value may start with `#`.
  ['A=VAL\t# tab', { A: 'VAL\t# tab' }],
  ['A=#start\nB= #start', { A: '#start', B: '#start' }],
  ['A=1 # c # d', { A: '1' }],
  // Keys with dots and dashes; separators.
  ['C.D=1\nE-F=2\n1A=3', { 'C.D': '1', 'E-F': '2', '1A': '3' }],
  ['R: yaml style', { R: 'yaml style' }],
  ['N=a=b\nU=http://x:1/y', { N: 'a=b', U: 'http://x:1/y' }],
  ['G=\nH=""\nI=\'\'', { G: '', H: '', I: '' }],
  // Double quotes: escapes; single quotes: literal but for \'.
  ['B="x\\ny"', { B: 'x\ny' }],
  ["B='x\\ny'", { B: 'x\\ny' }],
  ['Q="a\\qb\\ c\\az"', { Q: 'a\\qb\\ c\x07z' }],
  ['Q="bar\\\\r"', { Q: 'bar\\r' }],
  ['Q="x\\$y"', { Q: 'x$y' }],
  ['Q="a\\\'b"', { Q: "a\\'b" }],
  ['Q="a\\\\"', { Q: 'a\\' }],
  ["Q='a\\\\b'", { Q: 'a\\\\b' }],
  ["Q='a\\\\'", { Q: 'a\\\\' }],
  ["Q='a\\\"b'", { Q: 'a\\"b' }],
  ['J=a "b" c', { J: 'a "b" c' }],
  ['Q="#"#x', { Q: '#' }],
  // A quoted value may span lines; after the closing quote a new statement may start.
  ['M="multi\nline" # comment\nZ=1', { M: 'multi\nline', Z: '1' }],
  ['R="a" B=2', { R: 'a', B: '2' }],
  // CRLF line ends.
  ['X=1\r\nY="2"\r\nZ=\'3\'\r\n', { X: '1', Y: '2', Z: '3' }],
  // A bare KEY takes its value from the environment; without lookup it is left out.
  ['INHERITED\nZ=1', { Z: '1' }],
  // The last assignment wins.
  ['A=1\nA=2', { A: '2' }],
  ['\uFEFFBOM=1', { BOM: '1' }],
];

for (const [text, expected] of COMPOSE) {
  test(`compose: ${JSON.stringify(text)}`, () => {
    const parsed = parseEnvFile(text);
    assert.equal(Object.fromEntries(parsed.values), expected);
    assert.equal(parsed.errors, []);
  });
}

test('compose: lines of keys, the end line of a multi-line value, the quote', () => {
  const p = parseEnvFile('# c\nA=1\nB="x\ny\nz" # c\n\nC=\'q\'\nA=3\n');
  assert.equal(p.entries.map((e) => [e.key, e.line, e.endLine, e.quote]), [['A', 2, 2, null], ['B', 3, 5, '"'], ['C', 7, 7, "'"], ['A', 8, 8, null]]);
  assert.equal([...p.lines], [['A', 8], ['B', 3], ['C', 7]]);
});

test('compose: what Compose rejects is skipped and reported with its line; the rest is read', () => {
  const p = parseEnvFile('OK=1\nA B=1\nA$=1\n=x\nOK2=2\nP="unterminated\nOK3=3');
  assert.equal(Object.fromEntries(p.values), { OK: '1', OK2: '2', OK3: '3' });
  assert.equal(p.errors.map((e) => e.line), [2, 3, 4, 6]);
  assert.match(p.errors[0].message, /contains a space/);
  assert.match(p.errors[1].message, /unexpected character "\$"/);
  assert.match(p.errors[3].message, /unterminated quoted value "unterminated/);
});

test('compose: a bare KEY is read through lookup', () => {
  const p = parseEnvFile('HOME_DIR\nexport OTHER\nZ=1', { lookup: (k) => (k === 'HOME_DIR' ? '/home/x' : undefined) });
  assert.equal(Object.fromEntries(p.values), { HOME_DIR: '/home/x', Z: '1' });
});

// kustomize reads `envs:` files literally (verified with kubectl kustomize, kustomize v5.5).
const KUSTOMIZE_FILE = 'A=value # note\nB="x\\ny"\nC=\'raw\'\nexport D=1\nE=a#b\n# comment\n  K2=v\nK=v  \nK3 = v\nC.D=1\nE-F=2\nDEVENV_TEST_NO_SUCH_VARIABLE\nX=1\r\n';
const KUSTOMIZE_EXPECTED = {
  A: 'value # note', B: '"x\\ny"', C: "'raw'", 'export D': '1', E: 'a#b', K2: 'v', K: 'v  ', 'K3 ': ' v', 'C.D': '1', 'E-F': '2', DEVENV_TEST_NO_SUCH_VARIABLE: '', X: '1',
};

test('kustomize: keys and values literal, split at the first =', () => {
  assert.equal(values(KUSTOMIZE_FILE, 'kustomize'), KUSTOMIZE_EXPECTED);
  const p = parseEnvFile(KUSTOMIZE_FILE, { dialect: 'kustomize' });
  assert.is(p.lines.get('K2'), 7);
  assert.equal(p.errors, []);
});

const kubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 15_000 }).status === 0;
skipIf(kubectl ? false : 'kubectl is not on PATH (the kustomize dialect is not compared with kubectl kustomize)')('kustomize: the same values as kubectl kustomize renders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-envfile-'));
  try {
    writeFileSync(join(dir, 'in.env'), KUSTOMIZE_FILE);
    writeFileSync(join(dir, 'kustomization.yaml'), 'configMapGenerator:\n  - name: c\n    envs: [in.env]\ngeneratorOptions:\n  disableNameSuffixHash: true\n');
    const env = { ...process.env };
    delete env.DEVENV_TEST_NO_SUCH_VARIABLE;
    const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000, env });
    assert.is(r.status, 0, r.stderr);
    assert.equal(parseYaml(r.stdout).data, KUSTOMIZE_EXPECTED);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dev-secrets: a new file gets the header and both keys, mode 0600; a second run writes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-secrets-'));
  try {
    const file = join(dir, 'compose/.env');
    const first = ensureDevSecrets([file], new Redactor());
    assert.equal(first.written, [file]);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# Generated by devenv/);
    assert.equal(values(text), { BITCOIN_API_ADMIN_KEY: first.secrets.BITCOIN_API_ADMIN_KEY, BITCOIN_API_WALLET_KEY: first.secrets.BITCOIN_API_WALLET_KEY });
    assert.is(statSync(file).mode & 0o777, 0o600);
    const second = ensureDevSecrets([file], new Redactor());
    assert.equal(second.written, []);
    assert.equal(second.secrets, first.secrets);
    assert.is(readFileSync(file, 'utf8'), text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dev-secrets: other lines stay as written; placeholder keys are replaced in place of their lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-secrets-'));
  try {
    const file = join(dir, '.env');
    const before = '# mine\nOTHER="two\\nlines" # note\nBITCOIN_API_ADMIN_KEY=change-me-admin\nMULTI="a\nb"\nBITCOIN_API_WALLET_KEY=\'kept-wallet-key\'\n';
    writeFileSync(file, before);
    const { secrets, written } = ensureDevSecrets([file], new Redactor());
    assert.equal(written, [file]);
    assert.is(secrets.BITCOIN_API_WALLET_KEY, 'kept-wallet-key', 'an existing key is kept');
    assert.not.match(secrets.BITCOIN_API_ADMIN_KEY, /change-me/);
    assert.is(readFileSync(file, 'utf8'), `# mine\nOTHER="two\\nlines" # note\nMULTI="a\nb"\nBITCOIN_API_ADMIN_KEY=${secrets.BITCOIN_API_ADMIN_KEY}\nBITCOIN_API_WALLET_KEY=kept-wallet-key\n`);
    assert.equal(values(readFileSync(file, 'utf8')), { OTHER: 'two\nlines', MULTI: 'a\nb', ...secrets });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dev-secrets: a secrets.env next to a kustomization is read as kustomize reads it (a quoted value is not the same key)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-secrets-'));
  try {
    mkdirSync(join(dir, 'compose'));
    mkdirSync(join(dir, 'manifests'));
    writeFileSync(join(dir, 'manifests/kustomization.yaml'), 'secretGenerator:\n  - name: s\n    envs: [secrets.env]\n');
    writeFileSync(join(dir, 'compose/.env'), 'BITCOIN_API_ADMIN_KEY=admin-key-1\nBITCOIN_API_WALLET_KEY=wallet-key-1\n');
    writeFileSync(join(dir, 'manifests/secrets.env'), 'BITCOIN_API_ADMIN_KEY="admin-key-1"\nBITCOIN_API_WALLET_KEY=wallet-key-1\n');
    const { written } = ensureDevSecrets([join(dir, 'compose/.env'), join(dir, 'manifests/secrets.env')], new Redactor());
    assert.equal(written, [join(dir, 'manifests/secrets.env')], 'kustomize would put the quotes into the Secret: the line is rewritten');
    assert.equal(values(readFileSync(join(dir, 'manifests/secrets.env'), 'utf8'), 'kustomize'), { BITCOIN_API_ADMIN_KEY: 'admin-key-1', BITCOIN_API_WALLET_KEY: 'wallet-key-1' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
