// Secret values belong in a Secret (Kubernetes) or in the git-ignored .env
// (Compose, through ${VAR} interpolation), never as literals in a committed
// file. A variable that is a Secret in Kubernetes and a literal in Compose, or
// kept outside the Compose file but committed as a literal or ConfigMap value
// in the manifests, is reported; the same kind of value on both sides (a
// literal and a literal) is not. Values are never printed.
import type { EnvEntry } from '../env-view.ts';
import { side } from '../finding.ts';
import { isSecretName } from '../secret-names.ts';
import { instanceLabel, pairEnvs, type Rule } from '../rule.ts';
import { FindingSet } from './merge-findings.ts';

type Source = 'secret' | 'external' | 'literal' | 'configMap' | 'other';

function composeSource(e: EnvEntry): Source {
  if (e.value.kind === 'interpolation') return 'external';
  return e.value.kind === 'literal' ? (e.via ? 'external' : 'literal') : 'other';
}

function k8sSource(e: EnvEntry): Source {
  if (e.value.kind === 'secret') return 'secret';
  if (e.value.kind === 'configMap') return 'configMap';
  return e.value.kind === 'literal' ? 'literal' : 'other';
}

export const secretsRule: Rule = {
  id: 'secrets',
  description: 'A variable that is a Secret in Kubernetes is not a literal in the Compose file, and a secret Compose takes from .env is not a literal or ConfigMap value in the manifests.',
  check(ctx) {
    const set = new FindingSet();
    for (const { group: g, pair: p, compose: c, kubernetes: k } of pairEnvs(ctx)) {
      for (const [key, ce] of c) {
        const ke = k.get(key);
        if (!ke) continue;
        const cs = composeSource(ce);
        const ks = k8sSource(ke);
        const secretish = isSecretName(key) || (ce.value.kind === 'interpolation' && ce.value.vars.some((v) => isSecretName(v.name)));
        const cShow = ce.value.kind === 'interpolation' ? ce.value.raw.replace(/:\?.*\}$/, '}') : '(literal in the Compose file)';
        const kShow = ke.value.kind === 'secret' ? `Secret ${ke.value.name} key ${ke.value.key}` : ke.value.kind === 'configMap' ? `ConfigMap ${ke.value.name} key ${ke.value.key}` : '(literal in the manifest)';
        const base = { rule: 'secrets', service: g.name, subject: key, compose: side(cShow, ce.loc), kubernetes: side(kShow, ke.value.kind === 'secret' || ke.value.kind === 'configMap' ? ke.value.sourceLoc ?? ke.loc : ke.loc) };
        if (ks === 'secret' && cs === 'literal') {
          set.add({ ...base, severity: 'warn', message: `${key} is a Secret in Kubernetes but a literal in the Compose file: the value is committed, and the two can drift.`, fix: `write it as "\${${key}:?set it in .env}" in Compose and put the value in the git-ignored .env.` }, instanceLabel(p));
        } else if (secretish && cs === 'external' && (ks === 'literal' || ks === 'configMap')) {
          // A literal on both sides is the same kind of value (validate reports plain-text passwords).
          set.add({ ...base, severity: 'warn', message: `${key} holds a secret Compose takes from outside the Compose file (.env or env_file), but Kubernetes has it as ${ks === 'literal' ? 'a literal in the manifest' : 'a ConfigMap value'}, readable by anyone who can read the manifests or ConfigMaps.`, fix: `move it to a Secret (kustomize secretGenerator over a git-ignored env file) and use secretKeyRef.` }, instanceLabel(p));
        }
      }
    }
    return set.list();
  },
};
