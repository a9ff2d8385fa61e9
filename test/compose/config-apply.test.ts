// Config edits apply on Compose: every bind-mounted config file is parsed
// before anything changes (exit 2 at file:line), and after `compose up -d`
// exactly the services whose mounted files changed are restarted. No Docker:
// a fake engine, a fake command runner, and a scratch copy of compose/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../../cli/config.ts';
import type { AppContext } from '../../cli/context.ts';
import { DevenvError } from '../../cli/errors.ts';
import { Output } from '../../cli/output.ts';
import { Plan } from '../../cli/plan.ts';
import { Redactor } from '../../cli/redact.ts';
import { composeFor } from '../../cli/compose/compose-project.ts';
import { parseConfigHashState, planConfigRestarts, type ServiceConfigFiles } from '../../cli/compose/config-restarts.ts';
import { runPipeline, stepNames } from '../../cli/pipelines/pipeline.ts';
import { composeUpPipeline } from '../../cli/pipelines/compose-up.pipeline.ts';
import type { ComposeContext } from '../../cli/pipelines/compose-context.ts';
import { composePreflightStep } from '../../cli/pipelines/steps/compose-preflight.step.ts';
import { composeConfigRestartStep, configHashStatePath } from '../../cli/pipelines/steps/compose-config-restart.step.ts';
import { loadCompose } from '../../cli/topology/compose.loader.ts';
import { composeMountedConfigFiles, configHashesByReader, configSyntaxError, type MountedConfigFile } from '../../cli/topology/mounted-config.ts';
import type { ContainerSummary } from '../../cli/adapters/docker.ts';
import { FakeDocker } from '../helpers/fake-docker.ts';
import { FakeRunner } from '../helpers/fake-runner.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const file = (over: Partial<MountedConfigFile> & { text: string | null }): MountedConfigFile => ({ usedBy: 'webserver_1', target: '/app/Settings.toml', file: 'compose/Settings.toml', firstLine: 1, ...over });

// ---- parsing (pure) ----

test('a broken TOML file: exit 2 at its file and line, naming who mounts it and the fix', () => {
  const err = configSyntaxError([file({ text: 'a = 1\n[limits]\nrate = = 2\n' })]);
  assert.instance(err, DevenvError);
  assert.is(err!.exitCode, 2);
  assert.equal(err!.location, { file: 'compose/Settings.toml', line: 3, column: 8 });
  const paragraph = err!.toParagraph();
  assert.ok(paragraph.startsWith('compose/Settings.toml:3:8: compose/Settings.toml is not valid TOML: '), paragraph);
  assert.ok(paragraph.includes('mounted into webserver_1 (/app/Settings.toml); nothing was created or restarted.'), paragraph);
  assert.ok(paragraph.includes('Fix: correct the TOML at line 3, column 8 of compose/Settings.toml'), paragraph);
});

test('JSON and YAML by extension; a text file is not judged; valid files pass', () => {
  const json = configSyntaxError([file({ file: 'conf/app.json', text: '{\n  "a": 1,\n  "b": ]\n}\n' })]);
  assert.is(json?.exitCode, 2);
  assert.is(json?.location?.file, 'conf/app.json');
  const yaml = configSyntaxError([file({ file: 'conf/app.yaml', text: 'a: 1\nb: [1, 2\nc: 3\n' })]);
  assert.is(yaml?.exitCode, 2);
  assert.is(yaml?.location?.file, 'conf/app.yaml');
  assert.ok((yaml?.location?.line ?? 0) >= 2, `YAML error line ${yaml?.location?.line}`);
  assert.is(configSyntaxError([file({ file: 'conf/motd.txt', text: '= = [\n' })]), null);
  assert.is(configSyntaxError([file({ text: null })]), null, 'an unreadable file is not a syntax error');
  assert.is(configSyntaxError([file({ text: readFileSync(join(repoRoot, 'compose/Settings.toml'), 'utf8') })]), null);
});

test("a generator's file inside another file: the line is counted from where the text starts", () => {
  const err = configSyntaxError([file({ usedBy: 'ConfigMap rate-limit-settings', target: 'Settings.toml', file: 'manifests/config/Settings.toml', firstLine: 10, text: 'ok = 1\nbad = \n' })]);
  assert.is(err?.location?.line, 11);
});

test("this project's Compose file: webserver_1 mounts compose/Settings.toml, nobody else mounts a config file", () => {
  const topology = loadCompose({ files: ['compose/docker-compose.yml'], environment: {}, cwd: repoRoot });
  assert.equal(composeMountedConfigFiles(topology).map((f) => [f.usedBy, f.file, f.target]), [['webserver_1', 'compose/Settings.toml', '/app/Settings.toml']]);
});

// ---- which services restart (pure) ----

const svc = (hash: string, modifiedMs = 1_000): ServiceConfigFiles => ({ service: 'webserver_1', files: { 'compose/Settings.toml': hash }, modifiedMs: { 'compose/Settings.toml': modifiedMs } });

test('restart planning: a changed hash restarts the service; the same hash does not; the state follows the containers', () => {
  const state = { containers: { c1: { service: 'webserver_1', files: { 'compose/Settings.toml': 'old' } }, gone: { service: 'webserver_1', files: {} } } };
  const changed = planConfigRestarts([svc('new')], [{ id: 'c1', service: 'webserver_1', startedMs: 5_000 }], state);
  assert.equal(changed.restarts.map((r) => [r.service, r.files]), [['webserver_1', ['compose/Settings.toml']]]);
  assert.ok(changed.restarts[0].reason.startsWith('compose/Settings.toml changed (its content differs'), changed.restarts[0].reason);
  assert.equal(changed.next, { containers: { c1: { service: 'webserver_1', files: { 'compose/Settings.toml': 'new' } } } }, 'a removed container is forgotten');
  const same = planConfigRestarts([svc('new')], [{ id: 'c1', service: 'webserver_1', startedMs: 5_000 }], changed.next);
  assert.equal(same.restarts, []);
});

test('restart planning: a container devenv has no record of restarts only when the file is newer than its start', () => {
  const newer = planConfigRestarts([svc('h', 9_000)], [{ id: 'c2', service: 'webserver_1', startedMs: 5_000 }], { containers: {} });
  assert.equal(newer.restarts.map((r) => r.service), ['webserver_1']);
  assert.ok(newer.restarts[0].reason.includes('modified after the running container started'));
  const older = planConfigRestarts([svc('h', 1_000)], [{ id: 'c2', service: 'webserver_1', startedMs: 5_000 }], { containers: {} });
  assert.equal(older.restarts, []);
  assert.equal(older.next.containers.c2.files, { 'compose/Settings.toml': 'h' });
});

test('a state file that is not one reads as empty (devenv rewrites it)', () => {
  assert.equal(parseConfigHashState('{not json'), { containers: {} });
  assert.equal(parseConfigHashState(null), { containers: {} });
  assert.equal(parseConfigHashState('{"containers":{"a":{"service":"s","files":{}}}}').containers.a.service, 's');
});

// ---- the steps, with a fake Docker and a fake Compose CLI ----

test('up: the restarts come after compose up and before the health wait (a restarted service must be healthy again)', () => {
  const names = stepNames(composeUpPipeline());
  const at = names.indexOf(composeConfigRestartStep.name);
  assert.is(names[at - 1], 'Start the services (compose up -d)');
  assert.is(names[at + 1], 'Wait until every service is healthy');
});

function scratchApp() {
  const root = mkdtempSync(join(tmpdir(), 'devenv-config-apply-'));
  cpSync(join(repoRoot, 'compose'), join(root, 'compose'), { recursive: true, filter: (src) => !src.endsWith('/.env') && !src.includes('.devenv-v1.') });
  const env: Record<string, string> = { DEVENV_COMPOSE: 'v2' };
  const redactor = new Redactor(env);
  const plan = new Plan(redactor);
  const runner = new FakeRunner({ plan }).on((argv) => argv.includes('restart'), {});
  const output = new Output('json', redactor, false, { write: () => {} }, { write: () => {} });
  const app: AppContext = { args: { dryRun: false, json: true, verbose: false }, cwd: root, env, config: defaultConfig(root), redactor, plan, runner, output };
  return { app, runner, root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

const container = (id: string, service: string): ContainerSummary => ({ id, name: `devenv-${service}-1`, image: 'x', imageId: 'sha256:x', state: 'running', health: 'healthy', service, project: 'devenv', ports: [] });

/** One `up` after `compose up -d`: the restart step over the containers running now. */
async function upAfterComposeUp(app: AppContext, runner: FakeRunner, started: string) {
  const topology = loadCompose({ files: ['compose/docker-compose.yml'], environment: {}, cwd: app.cwd });
  const docker = new FakeDocker({
    containers: [container('miner1', 'miner_1'), container('web1', 'webserver_1'), container('redis1', 'redis')],
    states: { web1: { status: 'healthy', log: [], restartCount: 0, pid: 1, startedAt: started } },
  });
  const ctx: ComposeContext = { app, docker, timeoutSeconds: 10, mountedConfig: composeMountedConfigFiles(topology), compose: composeFor(app, { flavor: 'v2', argv: ['docker', 'compose'], version: 'test' }) };
  const before = runner.lines.length;
  await runPipeline([composeConfigRestartStep], ctx, app.output);
  return { ctx, docker, commands: runner.lines.slice(before) };
}

test('compose: a changed Settings.toml restarts exactly webserver_1, once; the next up restarts nothing', async () => {
  const { app, runner, root, cleanup } = scratchApp();
  try {
    const settings = join(root, 'compose/Settings.toml');
    // The container started after the file was last written: nothing to do, and devenv starts its record.
    utimesSync(settings, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    const first = await upAfterComposeUp(app, runner, '2026-01-02T00:00:00Z');
    assert.equal(first.commands, []);
    assert.equal(first.ctx.configRestarts, []);
    assert.equal(first.docker.calls.filter((c) => c.startsWith('inspect')), ['inspect web1'], 'only containers that mount a config file are inspected');
    const recorded = JSON.parse(readFileSync(configHashStatePath(root, 'devenv'), 'utf8'));
    assert.equal(Object.keys(recorded.containers), ['web1']);

    writeFileSync(settings, `${readFileSync(settings, 'utf8')}\n# edited\n`);
    // The hash decides, not the time: keep the mtime older than the container's start.
    utimesSync(settings, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    const second = await upAfterComposeUp(app, runner, '2026-01-02T00:00:00Z');
    assert.equal(second.commands.map((l) => l.replace(/ -f \S+/, ' -f FILE')), ['docker compose -p devenv -f FILE restart webserver_1']);
    assert.equal(second.ctx.configRestarts?.map((r) => [r.service, r.files]), [['webserver_1', ['compose/Settings.toml']]]);

    const third = await upAfterComposeUp(app, runner, '2026-01-03T00:00:00Z');
    assert.equal(third.commands, [], 'nothing changed since the restart');
  } finally {
    cleanup();
  }
});

test('compose: a broken Settings.toml stops up in the preflight, exit 2 at its line, before Docker is asked anything', async () => {
  const { app, root, cleanup } = scratchApp();
  try {
    writeFileSync(join(root, 'compose/Settings.toml'), '[rate_limiter]\nenabled = true\nlimit = \n');
    const docker = new FakeDocker();
    const ctx: ComposeContext = { app, docker, timeoutSeconds: 10 };
    const err = await runPipeline([composePreflightStep], ctx, app.output).then(() => undefined, (e: unknown) => e);
    assert.instance(err, DevenvError);
    assert.is((err as DevenvError).exitCode, 2);
    assert.equal((err as DevenvError).location, { file: 'compose/Settings.toml', line: 3, column: 9 });
    assert.equal(docker.calls, []);
  } finally {
    cleanup();
  }
});

test('content hashes: per service that mounts the file; the same text hashes the same, another text not', () => {
  const byReader = configHashesByReader([file({ text: 'a = 1' }), file({ usedBy: 'other', file: 'x.toml', text: null })]);
  assert.equal([...byReader.keys()], ['webserver_1', 'other']);
  assert.is(byReader.get('other')!['x.toml'], 'unreadable');
  const again = configHashesByReader([file({ text: 'a = 1' })]).get('webserver_1')!['compose/Settings.toml'];
  assert.is(again, byReader.get('webserver_1')!['compose/Settings.toml']);
  assert.is.not(configHashesByReader([file({ text: 'a = 2' })]).get('webserver_1')!['compose/Settings.toml'], again);
});

test.run();
