// The Compose loader: interpolation, anchors and merge keys (with the lines
// they were written at), port and volume syntaxes, healthcheck forms,
// replicas, profiles, several files merged in order, unsupported keys.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { interpolate } from '../../cli/topology/compose/interpolate.ts';
import { parseShortPort } from '../../cli/topology/compose/ports.ts';
import { loadCompose } from '../../cli/topology/compose.loader.ts';
import { DevenvError } from '../../cli/errors.ts';
import { tempDir } from './helpers.ts';

function load(files: Record<string, string>, opts: { environment?: Record<string, string>; profiles?: string[]; order?: string[] } = {}) {
  const dir = tempDir('mc-compose-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return loadCompose({ cwd: dir, files: opts.order ?? ['docker-compose.yml'], environment: opts.environment ?? {}, profiles: opts.profiles });
}

test('interpolation: defaults, required, alternatives, $$ and nesting', () => {
  const src = { environment: { SET: 'shell', EMPTY: '' }, envFile: { FILE: 'from-file', SET: 'ignored' } };
  assert.is(interpolate('${SET}-${FILE}', src).value, 'shell-from-file');
  assert.is(interpolate('${MISSING:-dflt} ${EMPTY:-e} ${EMPTY-kept}', src).value, 'dflt e ');
  assert.is(interpolate('$$HOME and $SET', src).value, '$HOME and shell');
  assert.is(interpolate('${SET:+alt}|${MISSING:+alt}', src).value, 'alt|');
  assert.is(interpolate('${MISSING:-${FILE:-x}}', src).value, 'from-file');
  const req = interpolate('${MISSING:?set it}', src);
  assert.is(req.missingRequired, 'MISSING: set it');
  assert.equal(req.vars, [{ name: 'MISSING', source: 'unset', required: true }]);
  assert.throws(() => interpolate('${BROKEN', src));
});

test('short port syntax', () => {
  assert.equal(parseShortPort('127.0.0.1:2101:2001'), [{ target: 2001, published: 2101, hostIp: '127.0.0.1', protocol: 'tcp' }]);
  assert.equal(parseShortPort('[::1]:53:53/udp'), [{ target: 53, published: 53, hostIp: '::1', protocol: 'udp' }]);
  const range = parseShortPort('8000-8001:80-81');
  assert.equal(typeof range === 'string' ? range : range.map((p) => [p.published, p.target]), [[8000, 80], [8001, 81]]);
  assert.equal(parseShortPort('9090'), [{ target: 9090, published: null, hostIp: undefined, protocol: 'tcp' }]);
  assert.type(parseShortPort('80:abc'), 'string');
});

test('anchors and merge keys keep the anchor line; explicit keys win', () => {
  const t = load({
    'docker-compose.yml': [
      'x-base: &base', //                       1
      '  image: app:${TAG:-1}', //               2
      '  restart: always', //                    3
      '  healthcheck:', //                       4
      '    test: ["CMD-SHELL", "curl -f http://localhost:8080/ready || exit 1"]', // 5
      'services:', //                            6
      '  api:', //                               7
      '    <<: *base', //                        8
      '    restart: "no"', //                    9
      '    ports: ["127.0.0.1:8080:8080", {target: 9000, published: 9001, protocol: udp}]', // 10
    ].join('\n'),
  });
  const api = t.workloads[0];
  assert.equal(api.image, { value: 'app:1', loc: { file: 'docker-compose.yml', line: 2 } });
  assert.equal(api.restart, { value: 'no', loc: { file: 'docker-compose.yml', line: 9 } });
  assert.equal([api.health[0].kind, api.health[0].path, api.health[0].port, api.health[0].loc.line], ['exec', '/ready', 8080, 5]);
  assert.equal(api.exposures.map((e) => `${e.hostIp ?? ''}:${e.port}->${e.targetPort}/${e.protocol}`), ['127.0.0.1:8080->8080/tcp', ':9001->9000/udp']);
});

test('healthcheck forms: string, CMD, NONE, disable', () => {
  const t = load({
    'docker-compose.yml': `services:
  a: { image: x, healthcheck: { test: "wget -q -O- http://localhost:3000/health", interval: 1m30s, retries: 5 } }
  b: { image: x, healthcheck: { test: [CMD, redis-cli, ping] } }
  c: { image: x, healthcheck: { test: [NONE] } }
  d: { image: x, healthcheck: { disable: true } }
`,
  });
  const [a, b, c, d] = t.workloads.map((w) => w.health[0]);
  assert.equal([a.kind, a.path, a.port, a.intervalSeconds, a.retries], ['exec', '/health', 3000, 90, 5]);
  assert.equal(b.command, ['redis-cli', 'ping']);
  assert.is(c.kind, 'disabled');
  assert.is(d.kind, 'disabled');
});

test('volumes: named per instance, shared, bind file with content, tmpfs, anonymous', () => {
  const t = load({
    'docker-compose.yml': `services:
  a:
    image: x
    volumes: [data_a:/data, ./app.conf:/etc/app.conf:ro, /cache, {type: tmpfs, target: /tmp}]
  b:
    image: x
    deploy: { replicas: 2 }
    volumes: [{type: volume, source: shared, target: /data}]
  c:
    image: x
    volumes: [data_a:/also]
volumes: { data_a: {}, shared: {} }
`,
    'app.conf': 'key = "value"\n',
  });
  const [a, b] = t.workloads;
  assert.equal(a.storage.map((m) => `${m.target}:${m.kind}`), ['/data:persistent-shared', '/etc/app.conf:config', '/cache:ephemeral', '/tmp:ephemeral']);
  assert.equal(a.storage[0].sharedBy, ['a', 'c']);
  assert.is(a.storage[1].files![0].content.text, 'key = "value"\n');
  assert.ok(a.storage[1].readOnly);
  assert.is(b.replicas.value, 2);
  assert.is(b.storage[0].kind, 'persistent-shared');
});

test('environment: list and map forms, env_file, .env interpolation, shell wins', () => {
  const t = load(
    {
      'docker-compose.yml': `services:
  a:
    image: x
    env_file: [common.env]
    environment:
      - FROM_LIST=1
      - PASSED
      - URL=http://\${HOST:-db}:5432
`,
      'common.env': 'COMMON=yes\nFROM_LIST=overridden\n',
      '.env': 'HOST=file-host\n',
    },
    { environment: { PASSED: 'from-shell' } },
  );
  const env = Object.fromEntries(t.workloads[0].env.map((e) => [e.name, e.value]));
  assert.equal(env.COMMON, { kind: 'literal', value: 'yes' });
  assert.equal(env.FROM_LIST, { kind: 'literal', value: '1' });
  assert.is(env.URL.kind, 'interpolation');
  assert.is((env.URL as { value: string }).value, 'http://file-host:5432');
  assert.is(env.PASSED.kind, 'interpolation');
  assert.is(t.envFile, '.env');
});

test('profiles: inactive services are reported, not compared', () => {
  const files = { 'docker-compose.yml': 'services:\n  app: { image: x }\n  debug: { image: y, profiles: [debug] }\n' };
  const off = load(files);
  assert.equal(off.workloads.map((w) => w.name), ['app']);
  assert.match(off.unsupported.find((u) => u.key === 'profiles')!.message, /profile\(s\) debug/);
  assert.equal(load(files, { profiles: ['debug'] }).workloads.map((w) => w.name), ['app', 'debug']);
});

test('several files merge like docker compose -f a -f b', () => {
  const t = load(
    {
      'base.yml': 'services:\n  a:\n    image: x:1\n    environment: [A=1, B=2]\n    ports: ["80:80"]\n    volumes: [v:/data]\n    command: [run, --old]\nvolumes: { v: {}, w: {} }\n',
      'over.yml': 'services:\n  a:\n    image: x:2\n    environment: { B: "3" }\n    ports: ["443:443"]\n    volumes: [w:/data]\n    command: [run]\n',
    },
    { order: ['base.yml', 'over.yml'] },
  );
  const a = t.workloads[0];
  assert.equal(a.image.value, 'x:2');
  assert.equal(a.image.loc, { file: 'over.yml', line: 3 });
  assert.equal(a.env.map((e) => `${e.name}=${(e.value as { value: string }).value}`), ['A=1', 'B=3']);
  assert.equal(a.exposures.map((e) => e.port), [80, 443]);
  assert.equal(a.storage.map((m) => `${m.source}:${m.target}`), ['w:/data']);
  assert.equal(a.command!.value, ['run']);
});

test('keys it does not model are reported with their line', () => {
  const t = load({ 'docker-compose.yml': 'services:\n  a:\n    image: x\n    shm_size: 1g\n    labels: { a: b }\n' });
  assert.equal(t.unsupported.map((u) => [u.key, u.severity, u.loc.line]), [['shm_size', 'warn', 4]]);
});

test('a service without image or build is a usage error at its line', () => {
  try {
    load({ 'docker-compose.yml': 'services:\n  a:\n    environment: { A: 1 }\n' });
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, DevenvError);
    assert.is((e as DevenvError).exitCode, 2);
    assert.equal((e as DevenvError).location, { file: 'docker-compose.yml', line: 2 });
  }
});

test.run();
