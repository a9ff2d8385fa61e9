// The one image-reference parser: `[registry[:port]/]path[:tag][@digest]`,
// as Docker reads it. The first path component is a registry only when it has
// a dot or a port, or is `localhost` (so `registry:5000/x` is repository
// `registry:5000/x` without a tag, and `redis` is `docker.io/library/redis`).
// Pure.

export interface ImageRef {
  /** As written, without tag and digest: what kustomize's `images[].name` matches. */
  name: string;
  /** The registry host as written (`localhost:5000`), or undefined for Docker Hub. */
  registry?: string;
  tag?: string;
  digest?: string;
  /** Docker Hub spelled out, for comparing two spellings: `docker.io/library/redis`. */
  canonical: string;
}

const HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const first = rest.split('/')[0];
  const hasRegistry = rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : undefined;
  const path = hasRegistry ? rest.slice(first.length + 1) : rest;
  const host = registry && !HUB.has(registry) ? registry : 'docker.io';
  const canonicalPath = host === 'docker.io' && !path.includes('/') ? `library/${path}` : path;
  return { name: rest, registry, tag, digest, canonical: `${host}/${canonicalPath}` };
}

export function formatImageRef(r: { name: string; tag?: string; digest?: string }): string {
  return `${r.name}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** The tag the runtime uses: the written one, or `latest` when there is neither tag nor digest. */
export function effectiveTag(r: ImageRef): string | undefined {
  return r.tag ?? (r.digest ? undefined : 'latest');
}

/** Same repository, whatever the spelling (`redis`, `library/redis`, `docker.io/library/redis`). */
export function sameRepository(a: string, b: string): boolean {
  return parseImageRef(a).canonical === parseImageRef(b).canonical;
}
