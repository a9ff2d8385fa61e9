import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEnvOverrides, defaultConfig, loadConfig, parseConfigText } from '../../cli/config.ts';
import { DevenvError } from '../../cli/errors.ts';
import { runCli } from '../helpers/cli.ts';

function configError(text: string): DevenvError {
  try {
    parseConfigText(text, 'devenv.yaml', '/repo');
  } catch (e) {
    assert.instance(e, DevenvError);
    return e as DevenvError;
  }
  throw new Error('expected an error');
}

test('no file: defaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-cfg-'));
  const cfg = loadConfig({ cwd: dir, env: {} });
  assert.is(cfg.file, null);
  assert.is(cfg.namespace, 'blockchain');
  assert.is(cfg.ports.api, 8080);
  assert.is(cfg.compose.file, 'compose/docker-compose.yml');
});

test('values override defaults, nested keys merge', () => {
  const cfg = parseConfigText('clusterName: demo\nports:\n  api: 18080\nimages:\n  redis: local/redis:7\n', 'devenv.yaml', '/repo');
  assert.is(cfg.clusterName, 'demo');
  assert.is(cfg.ports.api, 18080);
  assert.is(cfg.ports.redis, 6379);
  assert.is(cfg.images.redis, 'local/redis:7');
  assert.is(cfg.images.nodeBase, 'node:20-bookworm-slim');
});

test('an unknown key names the file, the line and the allowed keys (exit 2)', () => {
  const e = configError('namespace: blockchain\nclustername: oops\n');
  assert.is(e.exitCode, 2);
  assert.equal(e.location, { file: 'devenv.yaml', line: 2 });
  assert.match(e.message, /unknown key `clustername`/);
  assert.match(e.hint!, /clusterName/);
});

test('an unknown nested key names its parent', () => {
  const e = configError('ports:\n  api: 8080\n  apii: 1\n');
  assert.is(e.location?.line, 3);
  assert.match(e.message, /`ports.apii`/);
  assert.match(e.hint!, /under `ports`: api, webserverP2p/);
});

test('a wrong type is reported at the value', () => {
  const e = configError('ports:\n  api: eighty\n');
  assert.is(e.exitCode, 2);
  assert.is(e.location?.line, 2);
  assert.match(e.message, /`ports.api` must be a TCP port number/);
  const e2 = configError('image: blockchain-node\n');
  assert.match(e2.message, /`image` must be a mapping/);
});

test('invalid YAML gives the line', () => {
  const e = configError('namespace: a\n  bad: [\n');
  assert.is(e.exitCode, 2);
  assert.is(e.location?.line, 1);
  assert.match(e.message, /^invalid YAML: Nested mappings are not allowed in compact mappings$/);
});

test('environment overrides images and ports; a bad port value is an error', () => {
  const cfg = applyEnvOverrides(defaultConfig('/r'), { NODE_IMAGE: 'devenv-offline/node:20', REDIS_IMAGE: 'devenv-offline/redis:7', DEVENV_API_PORT: '18080' });
  assert.is(cfg.images.nodeBase, 'devenv-offline/node:20');
  assert.is(cfg.images.redis, 'devenv-offline/redis:7');
  assert.is(cfg.ports.api, 18080);
  assert.throws(() => applyEnvOverrides(defaultConfig('/r'), { DEVENV_API_PORT: 'x' }), /DEVENV_API_PORT=x is not a TCP port/);
});

test('CLI: a devenv.yaml with an unknown key exits 2 naming file, line and key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-cfg-'));
  writeFileSync(join(dir, 'devenv.yaml'), 'namespace: blockchain\nports:\n  api: 8080\n  grpc: 9090\n');
  const r = await runCli(['doctor'], { cwd: dir });
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /^error: devenv\.yaml:4: unknown key `ports\.grpc`\. Fix: .*allowed keys under `ports`/m);
});

test('CLI: --config with a wrong type exits 2 naming the file and line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-cfg-'));
  writeFileSync(join(dir, 'custom.yaml'), 'image:\n  name: 42\n');
  const r = await runCli(['doctor', '--config', join(dir, 'custom.yaml')], { cwd: dir });
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /custom\.yaml:2: `image\.name` must be a non-empty string/);
});

test('cluster and namespace names are checked where they are written', () => {
  const kind = configError('clusterName: Bad Name\n');
  assert.is(kind.location?.line, 1);
  assert.match(kind.message, /`clusterName` must be a kind cluster name/);
  const ns = configError('namespace: Bad_NS\n');
  assert.match(ns.message, /`namespace` must be a Kubernetes namespace name/);
  assert.is(parseConfigText('clusterName: dev.2\nnamespace: chain-a\n', 'devenv.yaml', '/r').namespace, 'chain-a');
});

test('two services on one host port are refused before anything starts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-cfg-'));
  assert.throws(() => loadConfig({ cwd: dir, env: { DEVENV_API_PORT: '6379' } }), /ports\.api and ports\.redis are both host port 6379/);
  writeFileSync(join(dir, 'devenv.yaml'), 'ports:\n  miner1P2p: 2002\n');
  try {
    loadConfig({ cwd: dir, env: {} });
    assert.unreachable();
  } catch (e) {
    assert.is((e as DevenvError).exitCode, 2);
    assert.match((e as DevenvError).message, /ports\.miner1P2p and ports\.miner2P2p are both host port 2002/);
    assert.equal((e as DevenvError).location, { file: 'devenv.yaml' });
  }
});

test.run();
