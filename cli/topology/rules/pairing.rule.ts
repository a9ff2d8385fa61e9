// Every Compose service must run somewhere in Kubernetes, and every workload
// should stand for something in Compose. An unpaired service is a missing
// piece of the system; an unpaired workload is one Compose never ran.
import { side, type Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';

export const pairingRule: Rule = {
  id: 'pairing',
  description: 'Each Compose service pairs with a Kubernetes workload (mapping file, naming convention, or image and ports), and each workload with a Compose service.',
  check(ctx) {
    const out: Finding[] = [];
    for (const c of ctx.pairing.unpairedCompose) {
      out.push({
        rule: 'pairing',
        severity: 'error',
        service: c.name,
        subject: 'workload',
        message: `Compose service ${c.name} (${c.image.value ? `image ${c.image.value}` : `built from ${c.build?.context}`}) has no Kubernetes workload: nothing in the cluster does its job.`,
        compose: side(c.name, c.loc),
        kubernetes: null,
        fix: `add a Deployment or StatefulSet for ${c.name} (named ${c.name.replace(/_/g, '-').replace(/-\d+$/, '')}), or name the workload that runs it in a --mapping file (\`${c.name}: Kind/name[#ordinal]\`).`,
      });
    }
    for (const w of ctx.pairing.unpairedKubernetes) {
      out.push({
        rule: 'pairing',
        severity: 'warn',
        service: w.name,
        subject: 'workload',
        message: `${w.kind} ${w.name} (image ${w.image.value}) has no Compose service: Kubernetes runs something Compose does not.`,
        compose: null,
        kubernetes: side(`${w.kind}/${w.name}`, w.loc),
        fix: `add the service to the Compose file, pair it in a --mapping file, or accept the difference in migrate-check.accept.yaml with a reason.`,
      });
    }
    for (const a of ctx.kubernetes.ambiguous) {
      const [first, ...rest] = a.locs;
      const last = a.locs.at(-1)!;
      const where = (l: typeof first) => `${l.file}:${l.line ?? 1}`;
      const c = ctx.pairing.pairs.find((p) => p.workload.kind === a.kind && p.workload.name === a.name)?.compose;
      out.push({
        rule: 'pairing',
        severity: 'error',
        service: a.name,
        subject: `${a.kind} ${a.name} defined ${a.locs.length} times`,
        message: `${a.kind} ${a.name} is defined ${a.locs.length} times (${a.locs.map(where).join(', ')}): it is ambiguous which one is the migration. \`kubectl apply -f\` applies them in turn and the last one (${where(last)}) stays; migrate-check compared that one.`,
        compose: c ? side(c.name, c.loc) : null,
        kubernetes: side(`${a.kind}/${a.name}`, first),
        location: rest.length ? last : undefined,
        fix: `delete the stale copy (keep one ${a.kind} ${a.name}), or move it out of the manifests folder.`,
      });
    }
    return out;
  },
};
