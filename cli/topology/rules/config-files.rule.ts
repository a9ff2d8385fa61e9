// A configuration file mounted into the container (Compose bind mount or
// config; Kubernetes ConfigMap or Secret volume) must say the same thing on
// both sides. TOML, JSON and YAML are compared field by field, and a field
// holding an address is compared after translating service names, so
// `redis_addr = "redis:6379"` equals `"redis.<ns>.svc.cluster.local:6379"`.
import { parseConfig } from '../config-content.ts';
import { side } from '../finding.ts';
import type { ConfigContent, Loc, Mount } from '../model.ts';
import type { Rule } from '../rule.ts';
import { FindingSet } from './merge-findings.ts';

function at(c: ConfigContent, line: number): Loc {
  return { file: c.firstLine.file, line: (c.firstLine.line ?? 1) + line - 1 };
}

const show = (v: unknown, secret: boolean) => (secret ? '(hidden)' : v === undefined ? null : JSON.stringify(v));

function configFiles(mounts: Mount[]) {
  return mounts.filter((m) => m.kind === 'config').flatMap((m) => (m.files ?? []).map((f) => ({ mount: m, ...f })));
}

export const configFilesRule: Rule = {
  id: 'config-files',
  description: 'Mounted configuration files (bind mount / ConfigMap / Secret) exist at the same path with the same content, field by field for TOML, JSON and YAML, with service names translated.',
  check(ctx) {
    const set = new FindingSet();
    for (const g of ctx.groups) {
      const w = g.workload;
      const kFiles = configFiles(w.storage);
      for (const p of g.pairs) {
        for (const cf of configFiles(p.compose.storage)) {
          const base = { rule: 'config-files', service: g.name };
          const kf = kFiles.find((f) => f.path === cf.path) ?? kFiles.find((f) => f.path.split('/').pop() === cf.path.split('/').pop());
          if (!kf) {
            set.add({ ...base, severity: 'warn', subject: cf.path, message: `${cf.path} (from ${cf.content.origin}) is mounted in Compose but no ConfigMap or Secret provides it in ${w.kind} ${w.name}.`, compose: side(cf.content.origin, cf.mount.loc), kubernetes: side(null, w.container ?? w.loc), fix: `create a ConfigMap from the file (kustomize configMapGenerator \`files:\`) and mount it at ${cf.path} (subPath for a single file).` }, p.compose.name);
            continue;
          }
          if (kf.path !== cf.path) {
            set.add({ ...base, severity: 'warn', subject: cf.path, message: `${cf.path.split('/').pop()} is mounted at ${cf.path} in Compose but at ${kf.path} in Kubernetes; whatever reads the path finds nothing.`, compose: side(cf.path, cf.mount.loc), kubernetes: side(kf.path, kf.mount.loc), fix: `mount it at ${cf.path}.` }, p.compose.name);
          }
          const secret = cf.content.secret || kf.content.secret;
          if (cf.content.text === null || kf.content.text === null) {
            set.add({ ...base, severity: 'info', subject: cf.path, message: `the content of ${cf.path} could not be compared (${cf.content.text === null ? `${cf.content.origin} is unreadable` : `${kf.content.origin} is not in the manifests`}).`, compose: side(cf.content.origin, cf.content.firstLine), kubernetes: side(kf.content.origin, kf.content.firstLine), fix: 'make both sources available to migrate-check.' });
            continue;
          }
          const a = parseConfig(cf.path, cf.content.text);
          const b = parseConfig(kf.path, kf.content.text);
          if ('error' in a || 'error' in b) {
            const bad = 'error' in a ? { c: cf.content, e: a } : { c: kf.content, e: b as Extract<typeof b, { error: string }> };
            set.add({ ...base, severity: 'error', subject: cf.path, message: `${bad.c.origin} is not valid ${bad.e.format.toUpperCase()}: ${bad.e.error}`, compose: side(cf.content.origin, 'error' in a ? at(cf.content, a.line) : cf.content.firstLine), kubernetes: side(kf.content.origin, 'error' in b ? at(kf.content, b.line) : kf.content.firstLine), fix: 'fix the syntax at that line.' });
            continue;
          }
          if (a.format === 'text') {
            const la = cf.content.text.split(/\r?\n/).map((l) => l.trimEnd());
            const lb = kf.content.text.split(/\r?\n/).map((l) => l.trimEnd());
            while (la.at(-1) === '') la.pop();
            while (lb.at(-1) === '') lb.pop();
            const i = la.findIndex((l, n) => l !== lb[n]);
            const first = i >= 0 ? i : la.length !== lb.length ? Math.min(la.length, lb.length) : -1;
            if (first >= 0) set.add({ ...base, severity: 'warn', subject: cf.path, message: `${cf.path} differs from line ${first + 1} on.`, compose: side(show(la[first], secret), at(cf.content, first + 1)), kubernetes: side(show(lb[first], secret), at(kf.content, first + 1)), fix: `make ${kf.content.origin} the same file as ${cf.content.origin}.` });
            continue;
          }
          for (const [path, fa] of a.fields) {
            const fb = b.fields.get(path);
            const subject = `${cf.path} ${path}`;
            if (!fb) {
              set.add({ ...base, severity: 'warn', subject, message: `${path} is set in ${cf.content.origin} but missing from ${kf.content.origin}.`, compose: side(show(fa.value, secret), at(cf.content, fa.line)), kubernetes: side(null, kf.content.firstLine), fix: `add ${path} to ${kf.content.origin}.` });
              continue;
            }
            if (JSON.stringify(fa.value) === JSON.stringify(fb.value)) continue;
            if (typeof fa.value === 'string' && typeof fb.value === 'string') {
              const key = path.split('.').pop()!;
              const verdict = ctx.addresses.compare(ctx.addresses.analyzeCompose(fa.value, key), ctx.addresses.analyzeKubernetes(fb.value, key));
              if (verdict === 'equal') continue;
              if (verdict === 'load-balanced') {
                set.add({ ...base, severity: 'info', subject, message: `${path} reaches the same workload through a Service (load-balanced).`, compose: side(show(fa.value, secret), at(cf.content, fa.line)), kubernetes: side(show(fb.value, secret), at(kf.content, fb.line)), fix: 'nothing to do if any replica will do.' });
                continue;
              }
            }
            set.add({ ...base, severity: 'warn', subject, message: `${path} is ${show(fa.value, secret)} in ${cf.content.origin} but ${show(fb.value, secret)} in ${kf.content.origin}.`, compose: side(show(fa.value, secret), at(cf.content, fa.line)), kubernetes: side(show(fb.value, secret), at(kf.content, fb.line)), fix: `set ${path} to the Compose value (translating service names to cluster DNS names), or change both.` });
          }
          for (const [path, fb] of b.fields) {
            if (a.fields.has(path)) continue;
            set.add({ ...base, severity: 'warn', subject: `${cf.path} ${path}`, message: `${path} is set in ${kf.content.origin} but not in ${cf.content.origin}.`, compose: side(null, cf.content.firstLine), kubernetes: side(show(fb.value, secret), at(kf.content, fb.line)), fix: `remove ${path} from ${kf.content.origin}, or add it to ${cf.content.origin}.` });
          }
        }
      }
    }
    return set.list();
  },
};
