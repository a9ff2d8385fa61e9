// Both sides must run the same program: the same image repository (registry
// and docker.io/library/ spelled out or not) and the same tag or digest, read
// by the one image-reference parser. A Compose service that builds its image
// (`build:` without `image:`) is compared by what it builds: a `target` stage
// that is not the Dockerfile's last one (a dev stage) against a manifest image
// that a plain `docker build` makes from the last stage is a real difference.
import { parseImageRef } from '../../manifests/image-ref.ts';
import { side, type Finding } from '../finding.ts';
import type { Workload } from '../model.ts';
import type { Group, Rule } from '../rule.ts';

const DEV_STAGE = /(^|[-_.])(dev|devel|development|debug|test|local)([-_.]|$)/i;

/** What a build-only Compose service runs, compared with the manifest's image. */
function builtImage(g: Group, c: Workload): Finding | null {
  const b = c.build!;
  const k = g.workload.image;
  const ref = parseImageRef(k.value);
  const target = b.target?.value;
  const last = b.stages?.at(-1);
  const base = { rule: 'image', service: g.name, kubernetes: side(k.value, k.loc) };
  const built = `${b.dockerfile}${target ? ` (stage ${target})` : ''}`;
  // The manifest names the stage it runs (`app:dev`, `app-debug`): it was built on purpose.
  const namesStage = target !== undefined && `${ref.name}:${ref.tag ?? ''}`.toLowerCase().includes(target.toLowerCase());
  const devTarget = target !== undefined && !namesStage && (last !== undefined ? target !== last : DEV_STAGE.test(target));
  if (devTarget) {
    const why = last !== undefined ? `not the last stage of ${b.dockerfile} (${last}), which a build without --target makes` : `\`${target}\` reads as a development stage`;
    return {
      ...base,
      severity: 'warn',
      subject: 'image.build-target',
      message: `Compose service ${c.name} builds stage \`${target}\` of ${b.dockerfile}, ${why}; ${g.workload.kind} ${g.workload.name} runs ${k.value}: Kubernetes runs other code than Compose (dev tools, reloaders, test settings).`,
      compose: side(built, b.target!.loc),
      fix: `build ${k.value} with \`docker build --target ${target} ${b.context}\`, or set \`target: ${last ?? 'the production stage'}\` in Compose so both run the same stage.`,
    };
  }
  return {
    ...base,
    severity: 'info',
    subject: 'image.build',
    message: `Compose service ${c.name} builds its image from ${b.context} (${built}); ${g.workload.kind} ${g.workload.name} runs ${k.value}, which must be built from the same context.`,
    compose: side(built, b.loc),
    fix: `build and load it with \`docker build -t ${k.value}${target ? ` --target ${target}` : ''} ${b.context}\`, or add \`image: ${k.value}\` next to \`build:\` in Compose.`,
  };
}

export const imageRule: Rule = {
  id: 'image',
  description: 'The container image repository and tag (or digest) are the same on both sides; a Compose build is compared by its context and target stage.',
  check(ctx) {
    const out: Finding[] = [];
    for (const g of ctx.groups) {
      const k = g.workload.image;
      const seen = new Set<string>();
      for (const p of g.pairs) {
        const c = p.compose.image;
        if (!c.value) {
          const f = p.compose.build && !seen.has('\0build') ? builtImage(g, p.compose) : null;
          seen.add('\0build');
          if (f) out.push(f);
          continue;
        }
        if (seen.has(c.value)) continue;
        seen.add(c.value);
        const a = parseImageRef(c.value);
        const b = parseImageRef(k.value);
        const base = { rule: 'image', service: g.name, compose: side(c.value, c.loc), kubernetes: side(k.value, k.loc) };
        const tagA = a.tag ?? 'latest';
        const tagB = b.tag ?? 'latest';
        if (a.canonical !== b.canonical) {
          out.push({ ...base, severity: 'error', subject: 'image', message: `Compose service ${p.compose.name} runs ${a.name}; ${g.workload.kind} ${g.workload.name} runs ${b.name}: a different program.`, fix: `set the container image to ${c.value} (or its registry copy).` });
        } else if (a.digest && b.digest && a.digest !== b.digest) {
          out.push({ ...base, severity: 'warn', subject: 'image.digest', message: `image digests differ for ${a.name}.`, fix: 'pin the same digest on both sides.' });
        } else if (tagA !== tagB && !(a.digest && b.digest)) {
          const floating = tagB === 'latest';
          out.push({
            ...base,
            severity: 'warn',
            subject: 'image.tag',
            message: `Compose service ${p.compose.name} runs ${a.name}:${tagA}; ${g.workload.kind} ${g.workload.name} runs tag ${tagB}${floating ? ' (floating: the kubelet pulls whatever latest is, and kind cannot use a loaded image under it)' : ''}.`,
            fix: `use tag ${tagA} in the manifest (kustomize \`images: [{name: ${a.name}, newTag: ${tagA}}]\`).`,
          });
        }
      }
    }
    return out;
  },
};
