// test-timeout-minutes: 15
// A warm `up` skips what has not changed and still notices what has, on a
// real Docker engine: with nothing changed the bundle is skipped and Compose
// is not run (no container recreated); an edit to the Compose file is applied
// (only that service recreated); an edit to the node's sources is bundled,
// built and rolled out to the node containers only.
// Its own project and host ports (devenv-w, 28080/22101/22001/22002/26379),
// from a devenv.yaml in a scratch copy of compose/ and the node's build
// context inside the checkout (so the bundler finds node_modules); it removes
// the project, its volumes and the image it built.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot, runCli } from '../helpers/cli.ts';
import { dockerSkipReason } from '../helpers/docker.ts';
import { skipIf } from '../helpers/skip.ts';

const test = skipIf(await dockerSkipReason(), suite('warm up'));
const PROJECT = 'devenv-w';
const UP_TIMEOUT = 10 * 60_000;
const dir = join(repoRoot, '.devenv', `warm-up-test-${process.pid}`);
const config = join(dir, 'devenv.yaml');
const builtImages: string[] = [];

interface StepEvent {
  event?: string;
  step?: string;
  status?: string;
  message?: string;
}

async function up() {
  const r = await runCli(['up', '--json', '--config', config], { timeoutMs: UP_TIMEOUT });
  assert.is(r.exitCode, 0, `${r.stdout}\n${r.stderr}`);
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const events = lines.filter((l) => l.event === 'step') as StepEvent[];
  const result = lines.find((l) => 'ok' in l);
  if (result?.image?.built) builtImages.push(result.image.ref);
  const of = (prefix: string) => events.filter((e) => e.step?.startsWith(prefix));
  return { result, of };
}

async function containerIds(): Promise<Record<string, string>> {
  const r = await execa('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--format', '{{.Label "com.docker.compose.service"}} {{.ID}}']);
  return Object.fromEntries(r.stdout.split('\n').filter(Boolean).map((l) => l.split(' ')));
}

test.before(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(repoRoot, 'compose'), join(dir, 'compose'), { recursive: true, filter: (src) => !src.endsWith('/.env') && !src.includes('.devenv-v1.') });
  cpSync(join(repoRoot, 'images/blockchain-node'), join(dir, 'node'), { recursive: true, filter: (src) => !src.includes('/dist') });
  writeFileSync(
    config,
    [`compose: { file: compose/docker-compose.yml, project: ${PROJECT} }`, 'image: { context: node }', 'ports: { api: 28080, webserverP2p: 22101, miner1P2p: 22001, miner2P2p: 22002, redis: 26379 }', ''].join('\n'),
  );
  await runCli(['down', '--volumes', '--config', config], { timeoutMs: UP_TIMEOUT });
});

test.after(async () => {
  await runCli(['down', '--volumes', '--config', config], { timeoutMs: UP_TIMEOUT });
  for (const ref of builtImages) await execa('docker', ['rmi', ref], { reject: false });
  rmSync(dir, { recursive: true, force: true });
});

test('up, then a warm up: bundle skipped, compose not run, nothing recreated, the smoke check still runs', async () => {
  const first = await up();
  assert.is(first.of('Bundle')[0]?.status, 'started', 'the first up bundles');
  const ids = await containerIds();
  assert.equal(Object.keys(ids).sort(), ['miner_1', 'miner_2', 'redis', 'webserver_1']);

  const warm = await up();
  assert.match(warm.of('Bundle')[0]?.message ?? '', /^up to date: none of the \d+ files esbuild read changed/);
  assert.ok(warm.of('Start the services').some((e) => /^nothing changed/.test(e.message ?? '')), 'compose up is not needed');
  assert.equal(warm.of('Smoke check').map((e) => e.status).at(-1), 'done');
  assert.ok(warm.result.height > 0);
  assert.equal(await containerIds(), ids);
});

test('an edited Compose file is applied: only the edited service is recreated', async () => {
  const file = join(dir, 'compose/docker-compose.yml');
  const text = readFileSync(file, 'utf8');
  const redisHealth = 'interval: 3s\n      timeout: 2s\n      retries: 20';
  assert.is(text.split(redisHealth).length, 2, 'the redis healthcheck the test edits is in the file once');
  writeFileSync(file, text.replace(redisHealth, 'interval: 3s\n      timeout: 2s\n      retries: 21'));
  const before = await containerIds();
  const r = await up();
  assert.ok(r.of('Start the services').some((e) => e.message === "compose up: redis's configuration changed"), JSON.stringify(r.of('Start the services')));
  const after = await containerIds();
  assert.is.not(after.redis, before.redis, 'redis recreated from the edited file');
  for (const s of ['miner_1', 'miner_2', 'webserver_1']) assert.is(after[s], before[s], `${s} untouched`);
  const retries = await execa('docker', ['inspect', '--format', '{{.Config.Healthcheck.Retries}}', after.redis]);
  assert.is(retries.stdout.trim(), '21');
});

test('an edited source is bundled, built and rolled out to the node containers only', async () => {
  const main = join(dir, 'node/src/main.ts');
  const original = readFileSync(main, 'utf8');
  const marker = 'run the node (configured by environment variables)';
  assert.ok(original.includes(marker), 'the string the test changes is still in main.ts');
  writeFileSync(main, original.replace(marker, `run the node (configured by environment variables, warm-up test ${Date.now()})`));
  const before = await containerIds();
  const r = await up();
  assert.equal(r.of('Bundle').map((e) => e.status).at(-1), 'done');
  assert.ok(r.of('Bundle').some((e) => e.message === 'bundling: src/main.ts changed'), JSON.stringify(r.of('Bundle')));
  assert.ok(r.result.image.built, 'a new image');
  const after = await containerIds();
  assert.is(after.redis, before.redis);
  for (const s of ['miner_1', 'miner_2', 'webserver_1']) assert.is.not(after[s], before[s], `${s} runs the new image`);
  const again = await up();
  assert.match(again.of('Bundle')[0]?.message ?? '', /^up to date/);
  assert.ok(again.of('Start the services').some((e) => /^nothing changed/.test(e.message ?? '')));
});

test.run();
