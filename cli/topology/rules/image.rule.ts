// Both sides must run the same program: the same image repository (registry
// and docker.io/library/ spelled out or not) and the same tag or digest.
import { side, type Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';

export function parseImage(ref: string): { repository: string; tag: string | null; digest: string | null } {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : null;
  let rest = at >= 0 ? ref.slice(0, at) : ref;
  const m = /^(.*?)(?::([^:/]+))?$/.exec(rest)!;
  rest = m[1];
  const tag = m[2] ?? null;
  const repository = rest.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');
  return { repository, tag, digest };
}

export const imageRule: Rule = {
  id: 'image',
  description: 'The container image repository and tag (or digest) are the same on both sides.',
  check(ctx) {
    const out: Finding[] = [];
    for (const g of ctx.groups) {
      const k = g.workload.image;
      const seen = new Set<string>();
      for (const p of g.pairs) {
        const c = p.compose.image;
        if (seen.has(c.value)) continue;
        seen.add(c.value);
        const a = parseImage(c.value);
        const b = parseImage(k.value);
        const base = { rule: 'image', service: g.name, compose: side(c.value, c.loc), kubernetes: side(k.value, k.loc) };
        if (a.repository !== b.repository) {
          out.push({ ...base, severity: 'error', subject: 'image', message: `Compose service ${p.compose.name} runs ${a.repository}; ${g.workload.kind} ${g.workload.name} runs ${b.repository}: a different program.`, fix: `set the container image to ${c.value} (or its registry copy).` });
        } else if (a.digest !== b.digest && a.digest && b.digest) {
          out.push({ ...base, severity: 'warn', subject: 'image.digest', message: `image digests differ for ${a.repository}.`, fix: `pin the same digest on both sides.` });
        } else if ((a.tag ?? 'latest') !== (b.tag ?? 'latest') && !(a.digest && b.digest)) {
          const floating = (b.tag ?? 'latest') === 'latest';
          out.push({
            ...base,
            severity: 'warn',
            subject: 'image.tag',
            message: `Compose service ${p.compose.name} runs ${a.repository}:${a.tag ?? 'latest'}; ${g.workload.kind} ${g.workload.name} runs tag ${b.tag ?? 'latest'}${floating ? ' (floating: the kubelet pulls whatever latest is, and kind cannot use a loaded image under it)' : ''}.`,
            fix: `use tag ${a.tag ?? 'latest'} in the manifest (kustomize \`images: [{name: ${a.repository}, newTag: ${a.tag ?? 'latest'}}]\`).`,
          });
        }
      }
    }
    return out;
  },
};
