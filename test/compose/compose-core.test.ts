import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkComposeText } from '../../cli/compose/compose-file.ts';
import { v1CompatibleText, v1FilePath } from '../../cli/adapters/compose.ts';
import { buildInputsHash, dockerignoreMatcher, listContextFiles } from '../../cli/build/build-context.ts';
import { judgeHeights } from '../../cli/compose/smoke.ts';
import { serviceHealth } from '../../cli/compose/service-health.ts';
import { parseHealthcheckJson } from '../../cli/adapters/node-api.ts';
import { mapContainer, parseBuildEvent } from '../../cli/adapters/docker.ts';
import { listeningInodes } from '../../cli/adapters/ports.ts';
import { DevenvError } from '../../cli/errors.ts';

function err(fn: () => unknown): DevenvError {
  try {
    fn();
  } catch (e) {
    return e as DevenvError;
  }
  throw new Error('expected an error');
}

test('compose file: bad YAML is exit 2 with the line', () => {
  const e = err(() => checkComposeText('services:\n  a:\n    image: x\n   bad: [\n', 'c.yml'));
  assert.is(e.exitCode, 2);
  assert.is(e.location?.file, 'c.yml');
  assert.ok(typeof e.location?.line === 'number');
  assert.match(e.message, /^invalid YAML in the Compose file/);
});

test('compose file: depends_on an unknown service names it, with its line', () => {
  const text = 'services:\n  a:\n    image: x\n  b:\n    image: y\n    depends_on:\n      a:\n        condition: service_healthy\n      ghost:\n        condition: service_started\n';
  const e = err(() => checkComposeText(text, 'c.yml'));
  assert.is(e.exitCode, 2);
  assert.equal(e.location, { file: 'c.yml', line: 9 });
  assert.match(e.message, /service `b` depends on `ghost`/);
  const listForm = err(() => checkComposeText('services:\n  a:\n    image: x\n    depends_on: [nope]\n', 'c.yml'));
  assert.is(listForm.location?.line, 4);
});

test("compose file: this project's file lists its services and volumes", async () => {
  const { readFileSync } = await import('node:fs');
  const s = checkComposeText(readFileSync('compose/docker-compose.yml', 'utf8'), 'compose/docker-compose.yml');
  assert.equal(s.defaultServices, ['miner_1', 'miner_2', 'webserver_1', 'redis']);
  assert.equal(s.volumes, ['miner_1_data', 'miner_1_wallets', 'miner_2_data', 'miner_2_wallets', 'webserver_1_data', 'webserver_1_wallets']);
});

test('compose v1 copy: drops only the top-level name, keeps anchors working', () => {
  const text = 'name: devenv\nx-a: &a\n  image: x\nservices:\n  s:\n    <<: *a\n';
  const out = v1CompatibleText(text);
  assert.not.match(out, /^name:/m);
  assert.match(out, /<<: \*a/);
  assert.is(v1FilePath('/r/compose/docker-compose.yml'), '/r/compose/.devenv-v1.docker-compose.yml');
});

test('.dockerignore matcher: dirs, globs, negation', () => {
  const ignored = dockerignoreMatcher('src\nnode_modules\n*.md\n!README.keep.md\n**/*.map\n');
  assert.ok(ignored('src/main.ts'));
  assert.ok(ignored('node_modules/x/y.js'));
  assert.ok(ignored('README.md'));
  assert.not.ok(ignored('README.keep.md'));
  assert.ok(ignored('dist/blockchain-node.js.map'));
  assert.not.ok(ignored('dist/blockchain-node.js'));
  assert.not.ok(ignored('Dockerfile'));
});

test('context files: an excluded directory is entered when a ! rule brings a file back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-ctx-'));
  mkdirSync(join(dir, 'dist'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM x\n');
  writeFileSync(join(dir, '.dockerignore'), '*\n!dist/app.js\n');
  writeFileSync(join(dir, 'dist/app.js'), 'bundle');
  writeFileSync(join(dir, 'dist/app.js.map'), 'map');
  writeFileSync(join(dir, 'src/a.ts'), 'source');
  assert.equal(listContextFiles(dir), ['.dockerignore', 'Dockerfile', 'dist/app.js']);
});

test('content hash: changes with a file, a build arg or the base image; not with ignored files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-ctx-'));
  mkdirSync(join(dir, 'dist'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM x\n');
  writeFileSync(join(dir, '.dockerignore'), 'src\n');
  writeFileSync(join(dir, 'dist/app.js'), 'v1');
  writeFileSync(join(dir, 'src/a.ts'), 'source');
  const files = listContextFiles(dir);
  assert.equal(files, ['.dockerignore', 'Dockerfile', 'dist/app.js']);
  const h1 = buildInputsHash(dir, files, { NODE_IMAGE: 'n:1' }, 'sha256:a');
  assert.match(h1, /^[0-9a-f]{12}$/);
  writeFileSync(join(dir, 'src/a.ts'), 'changed source, not in the image');
  assert.is(buildInputsHash(dir, listContextFiles(dir), { NODE_IMAGE: 'n:1' }, 'sha256:a'), h1);
  assert.is.not(buildInputsHash(dir, files, { NODE_IMAGE: 'n:2' }, 'sha256:a'), h1);
  assert.is.not(buildInputsHash(dir, files, { NODE_IMAGE: 'n:1' }, 'sha256:b'), h1);
  writeFileSync(join(dir, 'dist/app.js'), 'v2');
  assert.is.not(buildInputsHash(dir, files, { NODE_IMAGE: 'n:1' }, 'sha256:a'), h1);
});

test('build stream: errorDetail fails the build, stream lines pass through', () => {
  assert.is(parseBuildEvent({ stream: 'Step 1/5 : FROM x\n' }), 'Step 1/5 : FROM x');
  const e = err(() => parseBuildEvent({ errorDetail: { message: 'COPY failed: no such file' }, error: 'COPY failed' }));
  assert.match(e.message, /docker build failed: COPY failed: no such file/);
});

test('smoke verdict: height 0 fails; webserver more than one block behind fails; within one passes', () => {
  assert.match(judgeHeights(0, { miner_1: 0 })!, /height is 0/);
  assert.match(judgeHeights(5, { miner_1: 9, miner_2: 8 })!, /not following/);
  assert.is(judgeHeights(8, { miner_1: 9, miner_2: 8 }), null);
  assert.is(judgeHeights(3, {}), null);
});

test('service health: missing, starting, unhealthy and healthy services', () => {
  const c = (service: string, state: string, status: string) => mapContainer({ Id: service, Names: [`/devenv-${service}-1`], Image: 'i', ImageID: 'sha', State: state, Status: status, Labels: { 'com.docker.compose.service': service }, Ports: [] } as any);
  const h = serviceHealth(['a', 'b', 'c', 'd', 'e'], [c('a', 'running', 'Up 3s (healthy)'), c('b', 'running', 'Up 1s (health: starting)'), c('c', 'running', 'Up (unhealthy)'), c('d', 'running', 'Up 4s')]);
  assert.equal(h.map((x) => [x.service, x.ready, x.health]), [['a', true, 'healthy'], ['b', false, 'starting'], ['c', false, 'unhealthy'], ['d', true, 'none'], ['e', false, 'none']]);
});

test('node probe: parses the JSON line of `healthcheck --json`', () => {
  assert.equal(parseHealthcheckJson('noise\n{"ready":true,"height":12,"peers":2}\n'), { ready: true, height: 12, peers: 2 });
  assert.is(parseHealthcheckJson('ready: no json'), null);
});

test('/proc/net/tcp: finds the inode of a listening socket by port', () => {
  const text = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0\n   1: 0100007F:1F90 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 999 1\n';
  assert.equal(listeningInodes(text, 8080), ['12345']);
  assert.equal(listeningInodes(text, 8081), []);
});

test('tar: the system tar lists exactly the files, with content and modes', async () => {
  const { execFileSync } = await import('node:child_process');
  const { tarFiles } = await import('../../cli/build/tar.ts');
  const { chmodSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'devenv-tar-'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM x\n');
  writeFileSync(join(dir, 'dist/run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(dir, 'dist/run.sh'), 0o755);
  const long = 'd'.repeat(60) + '/' + 'f'.repeat(60) + '.txt';
  mkdirSync(join(dir, 'd'.repeat(60)));
  writeFileSync(join(dir, long), 'x'.repeat(1000));
  const archive = join(dir, 'out.tar');
  writeFileSync(archive, tarFiles(dir, ['Dockerfile', 'dist/run.sh', long]));
  const listing = execFileSync('tar', ['-tvf', archive], { encoding: 'utf8' });
  assert.match(listing, /^-rw-r--r-- .* 7 .* Dockerfile$/m);
  assert.match(listing, /^-rwxr-xr-x .* dist\/run\.sh$/m);
  assert.ok(listing.includes(long));
  assert.is(execFileSync('tar', ['-xOf', archive, long], { encoding: 'utf8' }), 'x'.repeat(1000));
  assert.is(tarFiles(dir, ['Dockerfile']).equals(tarFiles(dir, ['Dockerfile'])), true);
});

test.run();
