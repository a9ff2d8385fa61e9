// `up` when a service never becomes healthy: a bounded wait, then the
// service's health output and last log lines, exit 1; `down` cleans up.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot, runCli } from '../helpers/cli.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { skipIf } from '../helpers/skip.ts';

const test = skipIf(await dockerSkipReason(), suite('compose: a service that never becomes healthy'));
const project = `devenv-unhealthy-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'devenv-unhealthy-'));
mkdirSync(join(dir, 'compose'));
// Ports away from the real environment's, so this can run beside it.
const env = { DEVENV_API_PORT: '18080', DEVENV_WEBSERVER_P2P_PORT: '12101', DEVENV_MINER1_P2P_PORT: '12001', DEVENV_MINER2_P2P_PORT: '12002', DEVENV_REDIS_PORT: '16379' };
writeFileSync(
  join(dir, 'compose/docker-compose.yml'),
  `name: ${project}
services:
  sick:
    image: \${REDIS_IMAGE:-redis:7-alpine}
    healthcheck:
      test: ["CMD-SHELL", "echo sick-probe-says-no; exit 1"]
      interval: 1s
      timeout: 1s
      retries: 2
`,
);
writeFileSync(join(dir, 'devenv.yaml'), `compose:\n  project: ${project}\nimage:\n  context: ${join(repoRoot, 'images/blockchain-node')}\n`);

test.after(async () => {
  await runCli(['down', '--volumes'], { cwd: dir, env });
});

test('up waits at most --timeout, then shows the health output and the logs; exit 1', async () => {
  const started = Date.now();
  const r = await runCli(['up', '--timeout', '10'], { cwd: dir, env, timeoutMs: 5 * 60_000 });
  assert.is(r.exitCode, 1, r.stderr);
  assert.match(r.stderr, /error: not every service became healthy within 10 s: sick\./);
  assert.match(r.stderr, /--- sick: running, health unhealthy/);
  assert.match(r.stderr, /last healthcheck \(exit 1\): sick-probe-says-no/);
  assert.match(r.stderr, /Ready to accept connections|Server initialized|redis/i, 'the last log lines of the service are shown');
  assert.match(r.stderr, /Fix: read the health output and logs below; `devenv logs <service>` shows more/);
  // The bound holds (build cached + 10 s wait + the diagnosis), well under the CLI timeout.
  assert.ok(Date.now() - started < 120_000, `took ${Date.now() - started} ms`);
});

test('down removes what up created', async () => {
  const r = await runCli(['down'], { cwd: dir, env });
  assert.is(r.exitCode, 0, r.stderr);
  const ps = await execa('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]);
  assert.is(ps.stdout.trim(), '');
});

test.run();
