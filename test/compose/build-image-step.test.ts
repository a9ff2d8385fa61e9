// The image step's tag logic with a stand-in for the Docker engine: an
// existing tag is reused, and a build that pulled its base image is tagged
// again with the hash a later `up` will compute, so that `up` neither rebuilds
// nor recreates.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImageStep } from '../../cli/pipelines/steps/build-image.step.ts';
import { buildInputsHash, listContextFiles } from '../../cli/build/build-context.ts';
import { defaultConfig } from '../../cli/config.ts';
import { Plan } from '../../cli/plan.ts';
import { Redactor } from '../../cli/redact.ts';
import type { PipelineContext } from '../../cli/pipelines/pipeline-context.ts';
import { FakeDocker, type FakeDockerOptions } from '../helpers/fake-docker.ts';
import { ImageBuildError } from '../../cli/adapters/docker.ts';
import { DevenvError, ExitCode } from '../../cli/errors.ts';

function context(images: Map<string, string>, build?: FakeDockerOptions['build']) {
  const root = mkdtempSync(join(tmpdir(), 'devenv-build-'));
  const dir = join(root, 'ctx');
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), 'ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\n');
  writeFileSync(join(dir, 'dist/app.js'), 'console.log(1)');
  const config = { ...defaultConfig(root), image: { name: 'blockchain-node', context: 'ctx', dockerfile: 'Dockerfile' }, images: { nodeBase: 'base:1', redis: 'r' } };
  const docker = new FakeDocker({
    images,
    build: build ?? ((opts, table) => {
      table.set('base:1', 'sha256:pulled'); // the build pulled its base
      table.set(opts.tags[0], 'sha256:img');
      return 'sha256:img';
    }),
  });
  const app = { args: { dryRun: false, json: false, verbose: false }, env: {}, config, plan: new Plan(new Redactor()), cwd: root } as any;
  const ctx: PipelineContext = { app, docker };
  // Only what changes images: builds and tags.
  const changes = () => docker.calls.filter((c) => !c.startsWith('imageId '));
  return { ctx, dir, changes };
}

const io = { report: () => {} };

test('a base image pulled by the build: the image is also tagged with the hash of the pulled base', async () => {
  const images = new Map<string, string>();
  const { ctx, dir, changes } = context(images);
  await buildImageStep.run(ctx, io);
  const files = listContextFiles(dir);
  const absent = buildInputsHash(dir, files, { NODE_IMAGE: 'base:1' }, null);
  const pulled = buildInputsHash(dir, files, { NODE_IMAGE: 'base:1' }, 'sha256:pulled');
  assert.equal(changes(), [`build blockchain-node:${absent}`, `tag blockchain-node:${absent} blockchain-node:${pulled}`]);
  assert.is(ctx.image!.ref, `blockchain-node:${pulled}`);
  assert.is(ctx.image!.built, true);

  // The next `up`: same inputs, base now local -> the same tag, nothing built.
  const before = changes().length;
  await buildImageStep.run(ctx, io);
  assert.equal(changes().slice(before), []);
  assert.is(ctx.image!.ref, `blockchain-node:${pulled}`);
  assert.is(ctx.image!.built, false);
});

test('a local base image: one build, no second tag', async () => {
  const images = new Map([['base:1', 'sha256:local']]);
  const { ctx, dir, changes } = context(images);
  await buildImageStep.run(ctx, io);
  const hash = buildInputsHash(dir, listContextFiles(dir), { NODE_IMAGE: 'base:1' }, 'sha256:local');
  assert.equal(changes(), [`build blockchain-node:${hash}`]);
  assert.is(ctx.image!.ref, `blockchain-node:${hash}`);
});

const failingFrom = () => {
  throw new ImageBuildError('build', 'docker build failed: pull access denied for base, repository does not exist', { hint: 'read the build output above.' });
};

test('a failed build whose base image is still absent: exit 3, the offline-images fix', async () => {
  const { ctx } = context(new Map(), failingFrom);
  const err = await Promise.resolve(buildImageStep.run(ctx, io)).then(() => assert.unreachable('the build failed'), (e: unknown) => e);
  assert.instance(err, DevenvError);
  const e = err as DevenvError;
  assert.is(e.exitCode, ExitCode.prerequisite);
  assert.is(e.message, 'docker build failed: pull access denied for base, repository does not exist (the base image base:1 is not in the local engine and could not be pulled)');
  assert.match(e.hint!, 'scripts/offline-images.sh');
});

test('a failed build step after the base was pulled: the build error as it is (exit 1), whatever its words', async () => {
  const { ctx } = context(new Map(), (_opts, table) => {
    table.set('base:1', 'sha256:pulled');
    throw new ImageBuildError('build', 'docker build failed: COPY failed: file not found in build context', { hint: 'fix the Dockerfile.' });
  });
  const err = await Promise.resolve(buildImageStep.run(ctx, io)).then(() => assert.unreachable('the build failed'), (e: unknown) => e);
  assert.instance(err, ImageBuildError);
  assert.is((err as DevenvError).exitCode, ExitCode.failure);
  assert.is((err as DevenvError).message, 'docker build failed: COPY failed: file not found in build context');
});

test.run();
