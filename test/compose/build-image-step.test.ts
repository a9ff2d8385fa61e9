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

function context(images: Map<string, string>, calls: string[]) {
  const root = mkdtempSync(join(tmpdir(), 'devenv-build-'));
  const dir = join(root, 'ctx');
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), 'ARG NODE_IMAGE\nFROM ${NODE_IMAGE}\n');
  writeFileSync(join(dir, 'dist/app.js'), 'console.log(1)');
  const config = { ...defaultConfig(root), image: { name: 'blockchain-node', context: 'ctx', dockerfile: 'Dockerfile' }, images: { nodeBase: 'base:1', redis: 'r' } };
  const docker = {
    imageId: async (ref: string) => images.get(ref) ?? null,
    buildImage: async (opts: { tags: string[] }) => {
      calls.push(`build ${opts.tags[0]}`);
      images.set('base:1', 'sha256:pulled'); // the build pulled its base
      images.set(opts.tags[0], 'sha256:img');
      return 'sha256:img';
    },
    tagImage: async (source: string, repo: string, tag: string) => {
      calls.push(`tag ${source} ${repo}:${tag}`);
      images.set(`${repo}:${tag}`, images.get(source)!);
    },
  };
  const app = { args: { dryRun: false, json: false, verbose: false }, env: {}, config, plan: new Plan(new Redactor()), cwd: root } as any;
  const ctx = { app, docker } as unknown as PipelineContext;
  return { ctx, dir };
}

const io = { report: () => {} };

test('a base image pulled by the build: the image is also tagged with the hash of the pulled base', async () => {
  const images = new Map<string, string>();
  const calls: string[] = [];
  const { ctx, dir } = context(images, calls);
  await buildImageStep.run(ctx, io);
  const files = listContextFiles(dir);
  const absent = buildInputsHash(dir, files, { NODE_IMAGE: 'base:1' }, null);
  const pulled = buildInputsHash(dir, files, { NODE_IMAGE: 'base:1' }, 'sha256:pulled');
  assert.equal(calls, [`build blockchain-node:${absent}`, `tag blockchain-node:${absent} blockchain-node:${pulled}`]);
  assert.is(ctx.image!.ref, `blockchain-node:${pulled}`);
  assert.is(ctx.image!.built, true);

  // The next `up`: same inputs, base now local -> the same tag, nothing built.
  calls.length = 0;
  await buildImageStep.run(ctx, io);
  assert.equal(calls, []);
  assert.is(ctx.image!.ref, `blockchain-node:${pulled}`);
  assert.is(ctx.image!.built, false);
});

test('a local base image: one build, no second tag', async () => {
  const images = new Map([['base:1', 'sha256:local']]);
  const calls: string[] = [];
  const { ctx, dir } = context(images, calls);
  await buildImageStep.run(ctx, io);
  const hash = buildInputsHash(dir, listContextFiles(dir), { NODE_IMAGE: 'base:1' }, 'sha256:local');
  assert.equal(calls, [`build blockchain-node:${hash}`]);
  assert.is(ctx.image!.ref, `blockchain-node:${hash}`);
});

test.run();
