// Bundle the reference node and build its image, tagged with a content hash
// of the build inputs; an existing tag means nothing changed and nothing is
// built. Shared by `up --compose` and `up --k8s` (same tag on both).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { configPath } from '../../config.ts';
import { ImageBuildError } from '../../adapters/docker.ts';
import { DevenvError, ExitCode } from '../../errors.ts';
import { buildInputsHash, listContextFiles } from '../../build/build-context.ts';
import { BUILD_ID_LABEL, buildIdOfBundle } from '../../build/build-id.ts';
import { bundleRecord, bundleStaleReason, bundleStats, parseBundleRecord } from '../../build/bundle-inputs.ts';
import { readTextIfPresent, writeStateFile } from '../../adapters/state-file.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { Step } from '../pipeline.ts';

function imageBuildArgs(ctx: PipelineContext): Record<string, string> {
  return { NODE_IMAGE: ctx.app.config.images.nodeBase };
}

/** What devenv remembers of the last bundle (bundle-inputs.ts), in its state directory. */
export function bundleRecordPath(ctx: PipelineContext): string {
  return join(ctx.app.config.root, '.devenv', 'bundle-inputs.json');
}

const bundleOutFile = (dir: string) => join(dir, 'dist', 'blockchain-node.js');

export const bundleNodeStep: Step<PipelineContext> = {
  name: 'Bundle the blockchain node',
  skip: (ctx) => {
    if (ctx.app.env.BLOCKCHAIN_NODE_IMAGE) return `BLOCKCHAIN_NODE_IMAGE=${ctx.app.env.BLOCKCHAIN_NODE_IMAGE} is used as is`;
    const dir = configPath(ctx.app.config, ctx.app.config.image.context);
    if (!existsSync(join(dir, 'bundle.mjs'))) return 'the build context has no bundle.mjs (not the reference node)';
    // --dry-run plans the cold path.
    if (ctx.app.args.dryRun) return false;
    const record = parseBundleRecord(readTextIfPresent(bundleRecordPath(ctx)));
    if (bundleStaleReason(dir, bundleOutFile(dir), record)) return false;
    // Up to date, but some file was read again (touched, or recorded without its stat): remember the stats now.
    const inputs = Object.keys(record!.inputs);
    if (JSON.stringify(bundleStats(dir, inputs)) !== JSON.stringify(record!.stats ?? {})) {
      writeStateFile(bundleRecordPath(ctx), `${JSON.stringify(bundleRecord(dir, inputs, bundleOutFile(dir)), null, 2)}\n`, { plan: ctx.app.plan, dryRun: false, note: 'content hashes of the files the bundle was made from' });
    }
    return `up to date: none of the ${Object.keys(record!.inputs).length} files esbuild read changed since the last bundle`;
  },
  run: async (ctx, io) => {
    const dir = configPath(ctx.app.config, ctx.app.config.image.context);
    ctx.app.plan.record({ kind: 'file', path: join(ctx.app.config.image.context, 'dist/blockchain-node.js'), content: '(esbuild bundle of src/main.ts, in process)', note: 'bundle the node' });
    if (ctx.app.args.dryRun) return;
    const why = bundleStaleReason(dir, bundleOutFile(dir), parseBundleRecord(readTextIfPresent(bundleRecordPath(ctx))));
    if (why) io.report(`bundling: ${why}`);
    const mod = await import(pathToFileURL(join(dir, 'bundle.mjs')).href);
    const { outFile, inputs } = await mod.bundleBlockchainNode();
    io.report(`bundled ${outFile}`);
    // A bundler that does not say what it read is bundled every time.
    if (Array.isArray(inputs)) {
      writeStateFile(bundleRecordPath(ctx), `${JSON.stringify(bundleRecord(dir, inputs, outFile), null, 2)}\n`, { plan: ctx.app.plan, dryRun: false, note: 'content hashes of the files the bundle was made from' });
    }
  },
};

export const buildImageStep: Step<PipelineContext> = {
  name: 'Build the node image',
  run: async (ctx, io) => {
    const { app, docker } = ctx;
    const external = app.env.BLOCKCHAIN_NODE_IMAGE;
    if (external) {
      const id = app.args.dryRun ? null : await docker.imageId(external);
      if (!id && !app.args.dryRun) {
        throw new DevenvError(`BLOCKCHAIN_NODE_IMAGE=${external} does not exist in the local Docker engine.`, { exitCode: ExitCode.prerequisite, hint: 'build or load that image first, or unset BLOCKCHAIN_NODE_IMAGE to let devenv build the reference node.' });
      }
      ctx.image = { ref: external, id, built: false, hash: '', external: true };
      io.report(`using ${external}`);
      return;
    }
    const dir = configPath(app.config, app.config.image.context);
    const dockerfile = app.config.image.dockerfile;
    if (!existsSync(join(dir, dockerfile))) {
      throw new DevenvError(`the build context ${app.config.image.context} has no ${dockerfile}.`, { exitCode: ExitCode.usage, hint: 'set image.context and image.dockerfile in devenv.yaml to a directory with a Dockerfile.', location: app.config.file ? { file: app.config.file } : undefined });
    }
    const buildArgs = imageBuildArgs(ctx);
    const files = listContextFiles(dir);
    const baseId = app.args.dryRun ? null : await docker.imageId(buildArgs.NODE_IMAGE);
    const hash = buildInputsHash(dir, files, buildArgs, baseId);
    const ref = `${app.config.image.name}:${hash}`;
    const existing = app.args.dryRun ? null : await docker.imageId(ref);
    if (existing) {
      ctx.image = { ref, id: existing, built: false, hash, external: false };
      io.report(`${ref} is up to date`);
      return;
    }
    io.report(`building ${ref} FROM ${buildArgs.NODE_IMAGE}`);
    const buildId = buildIdOfBundle(join(dir, 'dist/blockchain-node.js'));
    let id: string | null;
    try {
      id = await docker.buildImage(
        { context: dir, files, dockerfile, tags: [ref], buildArgs, labels: { 'io.devenv.inputs-hash': hash, ...(buildId ? { [BUILD_ID_LABEL]: buildId } : {}) } },
        (line) => io.report(line),
      );
    } catch (err) {
      // The base was not local and a build step failed: if the base is still
      // not there, the build could not get it (no registry, or a wrong name).
      if (err instanceof ImageBuildError && err.stage === 'build' && !baseId && !(await docker.imageId(buildArgs.NODE_IMAGE))) {
        throw new DevenvError(`${err.message} (the base image ${buildArgs.NODE_IMAGE} is not in the local engine and could not be pulled)`, {
          exitCode: ExitCode.prerequisite,
          hint: 'on a machine without registry access run `eval "$(scripts/offline-images.sh)"` to build local base images and export NODE_IMAGE/REDIS_IMAGE, then `devenv up` again.',
        });
      }
      throw err;
    }
    if (app.args.dryRun) {
      ctx.image = { ref, id: null, built: false, hash, external: false };
      io.report(`would build ${ref} (the tag assumes the base image is not local yet)`);
      return;
    }
    // The base image was pulled by this build: hash again with its ID, so the
    // next `up` computes the same tag and neither rebuilds nor recreates.
    let finalRef = ref;
    let finalHash = hash;
    if (!baseId) {
      const pulledBase = await docker.imageId(buildArgs.NODE_IMAGE);
      finalHash = buildInputsHash(dir, files, buildArgs, pulledBase);
      if (finalHash !== hash) {
        await docker.tagImage(ref, app.config.image.name, finalHash);
        finalRef = `${app.config.image.name}:${finalHash}`;
      }
    }
    ctx.image = { ref: finalRef, id, built: true, hash: finalHash, external: false };
    io.report(`built ${finalRef}`);
  },
};
