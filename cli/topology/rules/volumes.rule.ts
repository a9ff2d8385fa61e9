// What survives a restart, and who shares it. A Compose named volume per
// instance is a volumeClaimTemplate (a PVC per pod); a PVC that several
// replicas mount at once is an error, because the node's store takes an
// exclusive lock on its data directory (the second replica fails with
// "could not acquire lock"); an emptyDir, or no volume, where Compose keeps a
// named volume loses the data whenever the pod is replaced. A bind-mounted
// directory that became a ConfigMap or Secret volume is a volume; a script
// from one that Compose runs (entrypoint, command, healthcheck) needs an
// executable mode (defaultMode), which the host file had.
import { splitShellWords } from '../compose/healthcheck.ts';
import { side, type Finding } from '../finding.ts';
import type { Mount } from '../model.ts';
import { instanceLabel, type CheckContext, type Rule } from '../rule.ts';
import { FindingSet } from './merge-findings.ts';

const describe = (m: Mount) => `${m.kind} (${m.source})${m.readOnly ? ', read-only' : ''}`;

export const volumesRule: Rule = {
  id: 'volumes',
  description: 'Each Compose mount has the same kind of storage at the same path: named volume per instance = volumeClaimTemplate; shared by replicas = error (data-directory lock); named volume vs emptyDir or nothing = data loss.',
  check(ctx) {
    const set = new FindingSet();
    for (const g of ctx.groups) {
      const w = g.workload;
      const kMounts = w.storage.filter((m) => m.kind !== 'config');
      for (const m of kMounts) {
        if (m.kind !== 'persistent-shared' || ctx.addresses.maxReplicas(w.name) <= 1) continue;
        const c = g.pairs.flatMap((p) => p.compose.storage).find((x) => x.target === m.target);
        set.add({
          rule: 'volumes',
          severity: 'error',
          service: g.name,
          subject: m.target,
          message: `${m.source} at ${m.target} is one volume shared by all ${ctx.addresses.maxReplicas(w.name)} replicas of ${w.name}: the second replica cannot take the data-directory lock (could not acquire lock), or they corrupt each other's data.`,
          compose: c ? side(describe(c), c.loc) : null,
          kubernetes: side(describe(m), m.loc),
          fix: `${w.kind === 'StatefulSet' ? 'replace the volume with a volumeClaimTemplate' : `make ${w.name} a StatefulSet with a volumeClaimTemplate`}, so each replica gets its own PVC.`,
        });
      }
      for (const p of g.pairs) {
        const label = instanceLabel(p);
        for (const cm of p.compose.storage) {
          if (cm.kind === 'config') continue;
          const km = kMounts.find((m) => m.target === cm.target);
          const base = { rule: 'volumes', service: g.name, subject: cm.target, compose: side(describe(cm), cm.loc) };
          // A bind-mounted directory of files that became a ConfigMap or Secret volume: it is a volume.
          if (!km && cm.kind === 'host-path' && w.storage.some((m) => m.kind === 'config' && (m.target === cm.target || m.target.startsWith(`${cm.target.replace(/\/$/, '')}/`)))) continue;
          if (!km) {
            const persistent = cm.kind === 'persistent-per-replica' || cm.kind === 'persistent-shared';
            set.add({ ...base, severity: persistent ? 'error' : cm.kind === 'host-path' ? 'warn' : 'info', kubernetes: side(null, w.container ?? w.loc), message: persistent ? `${cm.target} is a named volume in Compose but has no volume in ${w.kind} ${w.name}: its data lives in the container and is lost whenever the pod is replaced.` : `${cm.target} (${cm.kind} in Compose) has no volume in Kubernetes.`, fix: persistent ? `add a volumeClaimTemplate (StatefulSet) mounted at ${cm.target}.` : `mount an equivalent volume at ${cm.target} if the container needs it.` }, label);
            continue;
          }
          if (km.readOnly !== cm.readOnly) {
            set.add({ ...base, severity: 'warn', subject: `${cm.target} readOnly`, kubernetes: side(describe(km), km.loc), message: `${cm.target} is ${cm.readOnly ? 'read-only' : 'writable'} in Compose but ${km.readOnly ? 'read-only' : 'writable'} in Kubernetes.`, fix: `set readOnly: ${cm.readOnly} on the volumeMount.` }, label);
          }
          if (km.kind === cm.kind || km.kind === 'persistent-shared') continue;
          if (cm.kind === 'persistent-per-replica' && km.kind === 'ephemeral') {
            set.add({ ...base, severity: 'error', kubernetes: side(describe(km), km.loc), message: `${cm.target} is a named volume in Compose (kept across restarts) but ${km.source} in Kubernetes: the data is lost whenever the pod is replaced.`, fix: `use a volumeClaimTemplate (StatefulSet) for ${cm.target}.` }, label);
          } else if (cm.kind === 'persistent-shared' && km.kind === 'persistent-per-replica') {
            set.add({ ...base, severity: 'warn', kubernetes: side(describe(km), km.loc), message: `Compose shares ${cm.source} at ${cm.target} between ${(cm.sharedBy ?? []).join(', ')}; Kubernetes gives each replica its own volume, so they no longer see each other's files.`, fix: 'nothing to do if the sharing in Compose was the bug (a data directory); otherwise use a ReadWriteMany PVC.' }, label);
          } else if (cm.kind === 'ephemeral' || km.kind === 'persistent-per-replica') {
            set.add({ ...base, severity: 'info', kubernetes: side(describe(km), km.loc), message: `${cm.target} is ${cm.kind} in Compose and ${km.kind} in Kubernetes.`, fix: 'nothing to do if the difference is intended.' }, label);
          } else {
            set.add({ ...base, severity: 'warn', kubernetes: side(describe(km), km.loc), message: `${cm.target} is ${cm.kind} (${cm.source}) in Compose but ${km.kind} (${km.source}) in Kubernetes.`, fix: `use the same kind of storage for ${cm.target}.` }, label);
          }
        }
      }
      const composeTargets = new Set(g.pairs.flatMap((p) => p.compose.storage.map((m) => m.target)));
      for (const km of kMounts) {
        if (composeTargets.has(km.target) || (km.kind === 'persistent-shared' && ctx.addresses.maxReplicas(w.name) > 1)) continue;
        set.add({ rule: 'volumes', service: g.name, subject: km.target, severity: km.kind === 'persistent-shared' ? 'warn' : 'info', compose: null, kubernetes: side(describe(km), km.loc), message: `Kubernetes mounts ${describe(km)} at ${km.target}; Compose mounts nothing there.`, fix: 'nothing to do if the image expects it (e.g. a VOLUME in the Dockerfile).' });
      }
    }
    for (const f of executableFindings(ctx)) set.add(f);
    return set.list();
  },
};

const SHELLS = /(^|\/)(sh|bash|ash|dash|zsh)$/;

/** The program a command line runs: `sh -c "X ..."` runs X; `sh X` reads X (no exec bit needed). */
function executed(words: string[] | undefined): string | undefined {
  if (!words?.length) return undefined;
  if (SHELLS.test(words[0])) return words[1] === '-c' && words[2] ? splitShellWords(words[2])[0] : undefined;
  return words[0];
}

/** Scripts run from a ConfigMap or Secret volume need an executable mode; Compose's bind mount kept the host file's. */
function executableFindings(ctx: CheckContext): Finding[] {
  const out: Finding[] = [];
  for (const g of ctx.groups) {
    const w = g.workload;
    const kFiles = w.storage.filter((m) => m.kind === 'config').flatMap((m) => (m.files ?? []).map((f) => ({ ...f, mount: m })));
    for (const p of g.pairs) {
      const c = p.compose;
      const runs = [
        { what: 'entrypoint', words: c.entrypoint?.value, loc: c.entrypoint?.loc },
        { what: 'command', words: c.entrypoint ? undefined : c.command?.value, loc: c.command?.loc },
        ...c.health.map((h) => ({ what: 'healthcheck', words: h.command, loc: h.loc })),
      ];
      const cFiles = c.storage.filter((m) => m.kind === 'config').flatMap((m) => m.files ?? []);
      for (const r of runs) {
        const path = executed(r.words);
        const kf = path && kFiles.find((f) => f.path === path);
        if (!kf || kf.mode === undefined || (kf.mode & 0o111) !== 0) continue;
        const cf = cFiles.find((f) => f.path === path);
        if (cf?.mode !== undefined && (cf.mode & 0o111) === 0) continue;
        const octal = (m: number) => `0${m.toString(8)}`;
        out.push({
          rule: 'volumes',
          service: g.name,
          subject: `${path} mode`,
          severity: 'error',
          message: `Compose runs ${path} (${r.what}), a script it bind-mounts${cf?.mode !== undefined ? ` with mode ${octal(cf.mode)}` : ''}; in ${w.kind} ${w.name} it comes from ${kf.content.origin} with mode ${octal(kf.mode)}, not executable: the exec fails with "permission denied".`,
          compose: side(r.words!.join(' '), r.loc ?? c.loc),
          kubernetes: side(`${kf.mount.source} mode ${octal(kf.mode)}`, kf.mount.loc),
          fix: `set defaultMode: 0755 on the volume (or mode: 0755 on its item), or run it as \`sh ${path}\`.`,
        });
      }
    }
  }
  return out;
}
