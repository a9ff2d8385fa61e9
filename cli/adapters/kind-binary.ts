// devenv's typed view of scripts/kind.mjs, the pinned kind (Kubernetes IN
// Docker) binary: which one runs ($KIND, PATH, cache, checksum-verified
// download) and what doctor reports. The logic lives in the .mjs so that
// `npx devenv-kind` works on a fresh clone without a build; this adapter turns
// its failures into DevenvError (exit 3, one paragraph with the fix).
import {
  KIND_CHECKSUMS,
  KIND_VERSION,
  KindResolveError,
  type KindDescription,
  type KindOptions,
  type KindSource,
  type ResolvedKind,
  cachedKindPath,
  describeKind,
  resolveKind,
} from '../../scripts/kind.mjs';
import { DevenvError, ExitCode } from '../errors.ts';

export { KIND_CHECKSUMS, KIND_VERSION, cachedKindPath };
export type { KindDescription, KindOptions, KindSource, ResolvedKind };

export type ResolveKindOptions = KindOptions;

function toDevenvError(err: unknown): unknown {
  if (err instanceof KindResolveError) {
    return new DevenvError(err.problem, { exitCode: ExitCode.prerequisite, hint: err.hint, cause: err });
  }
  return err;
}

/**
 * The kind binary devenv runs: $KIND (version-checked), else a `kind` on PATH
 * with the pinned version, else the verified cache, else a download checked
 * against the pinned SHA-256. Throws DevenvError (exit 3) with manual install
 * steps when none can be had.
 */
export async function resolveKindBinary(opts: ResolveKindOptions = {}): Promise<ResolvedKind> {
  try {
    return await resolveKind(opts);
  } catch (err) {
    throw toDevenvError(err);
  }
}

/** For doctor: what would be used, never downloading. Never throws for a missing kind. */
export async function describeKindBinary(opts: ResolveKindOptions = {}): Promise<KindDescription> {
  return describeKind(opts);
}
