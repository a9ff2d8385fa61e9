// The Compose path's behaviour that needs no running containers: the dry-run
// plan, bad input (exit 2, nothing started) and an unreachable daemon (exit 3).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot, runCli } from '../helpers/cli.ts';
import { dockerReachable } from '../helpers/docker.ts';

/** A scratch copy of compose/ with a devenv.yaml pointing at it and at the real node context. */
function scratch(project: string, composeText?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'devenv-compose-'));
  cpSync(join(repoRoot, 'compose'), join(dir, 'compose'), { recursive: true, filter: (src) => !src.endsWith('/.env') && !src.includes('.devenv-v1.') });
  if (composeText !== undefined) writeFileSync(join(dir, 'compose/docker-compose.yml'), composeText);
  writeFileSync(join(dir, 'devenv.yaml'), `compose:\n  project: ${project}\nimage:\n  context: ${join(repoRoot, 'images/blockchain-node')}\n`);
  return dir;
}

test('up --dry-run prints the ordered plan, runs nothing, writes nothing, shows no key', async () => {
  const dir = scratch('devenv-dryrun-test');
  const r = await runCli(['up', '--dry-run'], { cwd: dir, env: { NODE_IMAGE: 'devenv-offline/node:20', BITCOIN_API_ADMIN_KEY: undefined } });
  assert.is(r.exitCode, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => /^\s*\d+\. /.test(l)).map((l) => l.replace(/^\s*\d+\. /, ''));
  const kinds = lines.map((l) => l.split(' ')[0]);
  assert.equal(kinds, ['write', 'write', 'docker-api', 'docker', 'wait', 'wait']);
  assert.match(lines[0], /^write compose\/\.env {2}# generated dev keys/);
  assert.match(lines[1], /^write .*dist\/blockchain-node\.js/);
  assert.match(lines[2], /^docker-api POST \/build .*"buildargs":\{"NODE_IMAGE":"devenv-offline\/node:20"\}/);
  assert.match(lines[3], /^docker compose -p devenv-dryrun-test -f \S+\/compose\/docker-compose\.yml up -d --no-build --remove-orphans$/);
  assert.match(lines[4], /^wait services healthy: miner_1, miner_2, webserver_1, redis \(timeout 180s\)/);
  assert.match(lines[5], /^wait GET http:\/\/127\.0\.0\.1:8080\/api\/v1\/blockchain/);
  assert.match(r.stdout, /BITCOIN_API_ADMIN_KEY=\*\*\*/);
  assert.not.ok(existsSync(join(dir, 'compose/.env')), 'dry run must not write the key file');
  if (await dockerReachable()) {
    const ps = await execa('docker', ['ps', '-aq', '--filter', 'label=com.docker.compose.project=devenv-dryrun-test']);
    assert.is(ps.stdout.trim(), '', 'dry run must not create containers');
  }
});

test('up --dry-run --json is one JSON document with the plan', async () => {
  const dir = scratch('devenv-dryrun-json');
  const r = await runCli(['up', '--dry-run', '--json'], { cwd: dir });
  const lines = r.stdout.trim().split('\n');
  // Progress events first (one JSON object per line), the plan document last.
  const events = lines.slice(0, -1).map((l) => JSON.parse(l));
  assert.ok(events.some((e) => e.event === 'step' && e.status === 'done'));
  const doc = JSON.parse(lines[lines.length - 1]);
  assert.is(doc.dryRun, true);
  assert.equal(doc.plan.map((e: any) => e.kind), ['file', 'file', 'docker', 'exec', 'wait', 'wait']);
  assert.equal(doc.plan[3].argv.slice(0, 4), ['docker', 'compose', '-p', 'devenv-dryrun-json']);
});

test('a broken Compose file (unknown service in depends_on): exit 2 with file and line, nothing started', async () => {
  const text = 'name: devenv-broken\nservices:\n  a:\n    image: x\n    depends_on:\n      - ghost\n';
  const dir = scratch('devenv-broken-test', text);
  const r = await runCli(['up'], { cwd: dir });
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /error: compose\/docker-compose\.yml:6: service `a` depends on `ghost`, which is not a service in this file\. Fix:/);
  assert.not.match(r.stderr, /Start the services/);
});

test('a Compose file with bad YAML: exit 2 with file and line', async () => {
  const dir = scratch('devenv-badyaml-test', 'services:\n  a:\n    image: "unclosed\n');
  const r = await runCli(['up'], { cwd: dir });
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, /error: compose\/docker-compose\.yml:\d+: invalid YAML in the Compose file/);
});

test('a broken Settings.toml (bind-mounted into webserver_1): exit 2 at its line, nothing written or started', async () => {
  const dir = scratch('devenv-badsettings-test');
  writeFileSync(join(dir, 'compose/Settings.toml'), '[rate_limiter]\nenabled = true\nlimit = \n');
  const r = await runCli(['up'], { cwd: dir, env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
  assert.is(r.exitCode, 2, r.stderr);
  assert.match(r.stderr, /error: compose\/Settings\.toml:3:\d+: compose\/Settings\.toml is not valid TOML: .* mounted into webserver_1 \(\/app\/Settings\.toml\); nothing was created or restarted\. Fix: correct the TOML at line 3/);
  assert.not.ok(existsSync(join(dir, 'compose/.env')), 'nothing is written before the config files parse');
});

test('Docker daemon unreachable (DOCKER_HOST at a dead socket): exit 3 with the fix, nothing created', async () => {
  const dir = scratch('devenv-nodaemon-test');
  const r = await runCli(['up'], { cwd: dir, env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
  assert.is(r.exitCode, 3);
  assert.match(r.stderr, /error: the Docker daemon is not reachable at unix:\/\/\/nonexistent\/docker\.sock .*Fix: start Docker/);
  assert.not.ok(existsSync(join(dir, 'compose/.env')), 'nothing is written before the preflight passes');
});

test.run();
