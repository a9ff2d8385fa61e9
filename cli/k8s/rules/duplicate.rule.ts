// Two objects with one identity: the second silently replaces the first on apply.
import { objectKey } from '../../manifests/objects.ts';
import { finding, type ManifestFinding, type ManifestRule } from './rule.ts';

export const duplicateRule: ManifestRule = {
  id: 'duplicate-object',
  description: 'No two objects share kind, namespace and name.',
  check(ctx) {
    const out: ManifestFinding[] = [];
    const first = new Map<string, { file: string; line: number }>();
    for (const at of ctx.objects) {
      const key = objectKey(at);
      const prev = first.get(key);
      if (prev) out.push(finding('duplicate-object', 'error', at, ['metadata', 'name'], `the same ${at.object.kind} is also defined at ${prev.file}:${prev.line}; the later one wins on apply.`, 'remove one of them or rename it.'));
      else first.set(key, { file: at.file, line: at.line });
    }
    return out;
  },
};
