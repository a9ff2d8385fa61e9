// What the container may do: Compose `cap_add`, `cap_drop`, `privileged`,
// `read_only` and `user` against the container's securityContext (and the
// pod's runAsUser/runAsGroup). Both runtimes start from the same default
// capability set (Docker's, which containerd and CRI-O share); `ALL` in a drop
// list clears it before the adds, as both do. Equal is silent.
//   a capability Compose adds (cap_add) or privilege Compose grants and
//     Kubernetes does not: error (the call fails, "operation not permitted");
//   more in Kubernetes, another user than Compose names, a writable root
//     filesystem where Compose had it read-only: warn;
//   hardening in Kubernetes only (default capabilities dropped, a uid where
//     Compose runs the image's USER, a read-only root filesystem): info.
import { side, type Finding } from '../finding.ts';
import type { Fact, Loc, Security, Workload } from '../model.ts';
import { instanceLabel, type Rule } from '../rule.ts';
import { FindingSet } from './merge-findings.ts';

const DEFAULT_CAPS = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];

/** The effective capability set; `ALL` stands for every capability. */
function effectiveCaps(s: Security | undefined): Set<string> {
  const add = s?.capAdd?.value ?? [];
  const drop = s?.capDrop?.value ?? [];
  if (add.includes('ALL')) return new Set(['ALL']);
  const caps = new Set(drop.includes('ALL') ? [] : DEFAULT_CAPS);
  for (const c of drop) caps.delete(c);
  for (const c of add) caps.add(c);
  return caps;
}

const locOf = (w: Workload, ...facts: Array<Fact<unknown> | undefined>): Loc => facts.find(Boolean)?.loc ?? w.container ?? w.loc;
const showCaps = (s: Security | undefined) => {
  const parts = [s?.capDrop?.value.length ? `drop ${s.capDrop.value.join(',')}` : '', s?.capAdd?.value.length ? `add ${s.capAdd.value.join(',')}` : ''].filter(Boolean);
  return parts.length ? parts.join('; ') : 'defaults';
};
const numeric = (v: string | undefined) => v !== undefined && /^\d+$/.test(v);

export const securityRule: Rule = {
  id: 'security',
  description: 'Compose cap_add/cap_drop/privileged/read_only/user equal the container securityContext (capabilities, privileged, readOnlyRootFilesystem, runAsUser/runAsGroup).',
  check(ctx) {
    const set = new FindingSet();
    for (const g of ctx.groups) {
      const w = g.workload;
      const k = w.security;
      for (const p of g.pairs) {
        const c = p.compose.security;
        const label = instanceLabel(p);
        const base = { rule: 'security', service: g.name };
        const cPriv = c?.privileged?.value === true;
        const kPriv = k?.privileged?.value === true;
        if (cPriv !== kPriv) {
          set.add({ ...base, severity: cPriv ? 'error' : 'warn', subject: 'privileged', message: cPriv ? `${p.compose.name} runs privileged in Compose (every capability and device); ${w.kind} ${w.name} does not: what needs them fails with "operation not permitted".` : `${w.kind} ${w.name} runs privileged in Kubernetes; Compose does not: the pod may do far more than the service did.`, compose: side(String(cPriv), locOf(p.compose, c?.privileged)), kubernetes: side(String(kPriv), locOf(w, k?.privileged)), fix: cPriv ? 'set securityContext.privileged: true, or grant the capabilities it needs.' : 'remove securityContext.privileged, or set `privileged: true` in Compose if it is needed.' }, label);
        }
        if (!cPriv && !kPriv) {
          const a = effectiveCaps(c);
          const b = effectiveCaps(k);
          const explicit = new Set(c?.capAdd?.value ?? []);
          const lacks = (x: string) => !b.has(x) && !b.has('ALL');
          // Compose asked for it: the service needs it. A default Kubernetes drops is hardening: said, not alarmed.
          const missing = a.has('ALL') ? (b.has('ALL') ? [] : ['ALL']) : [...a].filter((x) => explicit.has(x) && lacks(x));
          const dropped = a.has('ALL') ? [] : [...a].filter((x) => !explicit.has(x) && lacks(x));
          const extra = b.has('ALL') ? (a.has('ALL') ? [] : ['ALL']) : [...b].filter((x) => !a.has(x) && !a.has('ALL'));
          const cs = side(showCaps(c), locOf(p.compose, c?.capAdd, c?.capDrop));
          const ks = side(showCaps(k), locOf(w, k?.capAdd, k?.capDrop));
          const them = (l: string[]) => (l.length > 1 ? 'them' : 'it');
          if (missing.length) set.add({ ...base, severity: 'error', subject: 'capabilities', message: `Compose gives ${p.compose.name} ${missing.join(', ')} (cap_add); the container of ${w.kind} ${w.name} lacks ${them(missing)}: calls that need ${them(missing)} fail with "operation not permitted".`, compose: cs, kubernetes: ks, fix: `add ${missing.join(', ')} to securityContext.capabilities.add (or remove ${them(missing)} from capabilities.drop).` }, label);
          if (dropped.length) set.add({ ...base, severity: 'info', subject: 'capabilities.dropped', message: `the container of ${w.kind} ${w.name} drops default capabilities Compose keeps (${dropped.length === DEFAULT_CAPS.length ? 'all of them' : dropped.join(', ')}): hardening, unless the process needs one (binding a port below 1024 as non-root needs NET_BIND_SERVICE).`, compose: cs, kubernetes: ks, fix: 'nothing to do if the service runs; else add the capability it needs to capabilities.add.' }, label);
          if (extra.length) set.add({ ...base, severity: 'warn', subject: 'capabilities.extra', message: `the container of ${w.kind} ${w.name} has ${extra.join(', ')}, which ${p.compose.name} does not have in Compose: the pod may do more than the service did.`, compose: cs, kubernetes: ks, fix: `drop ${extra.join(', ')} (securityContext.capabilities.drop), as Compose does.` }, label);
        }
        const cRo = c?.readOnlyRootFs?.value === true;
        const kRo = k?.readOnlyRootFs?.value === true;
        if (cRo !== kRo) {
          set.add({ ...base, severity: cRo ? 'warn' : 'info', subject: 'readOnlyRootFilesystem', message: cRo ? `${p.compose.name} has a read-only root filesystem in Compose; in ${w.kind} ${w.name} it is writable.` : `${w.kind} ${w.name} has a read-only root filesystem (hardening); ${p.compose.name} may write to it in Compose: writes outside its volumes fail.`, compose: side(String(cRo), locOf(p.compose, c?.readOnlyRootFs)), kubernetes: side(String(kRo), locOf(w, k?.readOnlyRootFs)), fix: cRo ? 'set securityContext.readOnlyRootFilesystem: true.' : 'mount an emptyDir where the process writes (/tmp, caches), or set `read_only: true` in Compose to find those paths.' }, label);
        }
        for (const [what, cf, kf, key] of [['user', c?.user, k?.user, 'runAsUser'], ['group', c?.group, k?.group, 'runAsGroup']] as const) {
          if (cf?.value === kf?.value || (what === 'group' && (!cf || !kf))) continue;
          if (cf && !numeric(cf.value)) {
            set.add({ ...base, severity: 'info', subject: key, message: `${p.compose.name} runs as ${what} \`${cf.value}\` in Compose; Kubernetes runs as ${kf ? `${key} ${kf.value}` : "the image's USER"} (${key} takes a number only: compare the ids by hand).`, compose: side(cf.value, cf.loc), kubernetes: side(kf?.value ?? null, locOf(w, kf)), fix: `set securityContext.${key} to the id of \`${cf.value}\` in the image.` }, label);
            continue;
          }
          // Kubernetes picks a uid where Compose runs the image's USER: hardening, the usual case; said, not alarmed.
          set.add({ ...base, severity: cf ? 'warn' : 'info', subject: key, message: `${p.compose.name} runs as ${what} ${cf?.value ?? "(the image's)"} in Compose, ${w.kind} ${w.name} as ${kf?.value ?? "(the image's)"}: files it writes to volumes get another owner, and files it reads may be denied.`, compose: side(cf?.value ?? null, locOf(p.compose, cf)), kubernetes: side(kf?.value ?? null, locOf(w, kf)), fix: cf ? `set securityContext.${key}: ${cf.value}${numeric(cf.value) ? '' : ' (as a number)'}.` : `remove ${key}, or set \`user:\` in Compose to the same id.` }, label);
        }
      }
    }
    return set.list();
  },
};
