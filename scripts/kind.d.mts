// Types for scripts/kind.mjs (plain JavaScript so it runs without a build step).

export type KindSource = 'env' | 'path' | 'cache' | 'download';

export interface ResolvedKind {
  path: string;
  version: string;
  source: KindSource;
}

/** `${os}-${arch}` as in kind's release asset names: linux-amd64, darwin-arm64, ... */
export type KindPlatformKey = string;
export type KindChecksums = Readonly<Record<KindPlatformKey, string>>;

export interface KindOptions {
  /** Environment to read KIND, PATH, DEVENV_* and XDG_CACHE_HOME from. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Node's process.platform / process.arch values. Default: this machine. */
  platform?: string;
  arch?: string;
  /** Pinned version to require. Default KIND_VERSION. */
  version?: string;
  /** Replaces the pinned checksum table (tests). Default: DEVENV_KIND_CHECKSUMS_FILE, else KIND_CHECKSUMS. */
  checksums?: KindChecksums;
  /** Base URL of release downloads. Default DEVENV_KIND_DOWNLOAD_BASE, else DEFAULT_DOWNLOAD_BASE. */
  downloadBase?: string;
  /** Where the cached binary lives. Default cachedKindPath(env). */
  cachePath?: string;
  /** Whole-download deadline. Default DEVENV_KIND_DOWNLOAD_TIMEOUT_MS, else 120000. */
  timeoutMs?: number;
  /** Bound on each `kind version` probe. Default 10000. */
  probeTimeoutMs?: number;
  /** When false, resolveKind never downloads (fails with the manual steps instead). */
  download?: boolean;
  /** Progress lines (download start / verified). */
  log?: (line: string) => void;
}

export interface KindDescription {
  pinnedVersion: string;
  platform: KindPlatformKey | null;
  found: ResolvedKind | null;
  /** The pinned table has a checksum for this platform, so a download is possible. */
  canDownload: boolean;
  cachePath: string;
  reason: string;
}

export type KindErrorCode =
  | 'kind-env-missing'
  | 'kind-env-broken'
  | 'version-mismatch'
  | 'checksums-file'
  | 'unsupported-platform'
  | 'download-failed'
  | 'checksum-mismatch'
  | 'cache-write-failed'
  | 'not-found';

export class KindResolveError extends Error {
  constructor(code: KindErrorCode, problem: string, hint: string);
  readonly code: KindErrorCode;
  /** What failed (first half of the paragraph). */
  readonly problem: string;
  /** How to fix it: manual install steps. */
  readonly hint: string;
  /** 3: missing prerequisite. */
  readonly exitCode: 3;
}

export const KIND_VERSION: string;
export const KIND_CHECKSUMS: KindChecksums;
export const DEFAULT_DOWNLOAD_BASE: string;

export function platformKey(platform?: string, arch?: string): KindPlatformKey | null;
export function assetName(key: KindPlatformKey): string;
export function downloadUrl(version?: string, key?: KindPlatformKey | null, base?: string): string;
export function devenvCacheDir(env?: Record<string, string | undefined>): string;
export function cachedKindPath(env?: Record<string, string | undefined>, version?: string, platform?: string): string;
export function parseKindVersion(output: string): string | null;
export function probeKindVersion(bin: string, timeoutMs?: number): Promise<{ version: string | null; raw: string; error: string | null }>;
export function loadChecksums(opts?: KindOptions): KindChecksums;
export function sha256File(path: string): Promise<string>;
export function findOnPath(env?: Record<string, string | undefined>, platform?: string): string[];
export function describeKind(opts?: KindOptions): Promise<KindDescription>;
export function downloadKind(opts?: KindOptions): Promise<ResolvedKind>;
export function resolveKind(opts?: KindOptions): Promise<ResolvedKind>;
export function runKind(bin: string, args: string[], opts?: { env?: Record<string, string | undefined> }): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
