// The environment each replica gets, key by key, after resolving ConfigMap,
// Secret and downward-API references and Compose interpolation. Values that
// carry addresses belong to the peers rule and secret values to the secrets
// rule; this one compares the rest, and lists what only Kubernetes sets.
import { describeEnvValue, type EnvEntry } from '../env-view.ts';
import { side } from '../finding.ts';
import { PEER_KEY } from '../node-contract.ts';
import { isSecretEntry, isSecretName } from '../secret-names.ts';
import { instanceLabel, pairEnvs, type CheckContext, type Rule } from '../rule.ts';
import { FindingSet } from './merge-findings.ts';

/** Does this value name hosts (then the peers rule compares it)? */
export function carriesAddresses(ctx: CheckContext, key: string, c: EnvEntry | undefined, k: EnvEntry | undefined, contract: boolean): boolean {
  if (contract && key === PEER_KEY) return true;
  if (c?.text && ctx.addresses.analyzeCompose(c.text, key).refs.length) return true;
  return Boolean(k?.text && ctx.addresses.analyzeKubernetes(k.text, key).refs.length);
}

export const environmentRule: Rule = {
  id: 'environment',
  description: 'Every Compose environment variable is set in Kubernetes to the same value (after resolving references); variables only Kubernetes sets are listed.',
  check(ctx) {
    const set = new FindingSet();
    for (const { group: g, pair: p, compose: c, kubernetes: k, contract } of pairEnvs(ctx)) {
      const w = g.workload;
      const label = instanceLabel(p);
      for (const [key, ce] of c) {
        const ke = k.get(key);
        // `- KEY` with nothing in the shell: Compose does not set it either.
        if (ce.value.kind === 'interpolation' && ce.value.raw === `$${key}` && ce.value.unresolved && !ke) continue;
        if (!ke) {
          set.add({
            rule: 'environment',
            severity: 'warn',
            service: g.name,
            subject: key,
            message: `${key} is set in Compose but not in ${w.kind} ${w.name}.`,
            compose: side(describeEnvValue(ce, isSecretName(key)), ce.loc),
            kubernetes: side(null, w.container ?? w.loc),
            fix: `add ${key} to the container's env (a ConfigMap key via configMapKeyRef${isSecretName(key) ? ', or a Secret via secretKeyRef' : ''}).`,
          }, label);
          continue;
        }
        if (isSecretEntry(ce) || isSecretEntry(ke)) continue;
        if (carriesAddresses(ctx, key, ce, ke, contract)) continue;
        if (ce.text === null || ke.text === null) continue;
        if (ce.text === ke.text) continue;
        set.add({
          rule: 'environment',
          severity: 'warn',
          service: g.name,
          subject: key,
          message: `${key} is ${JSON.stringify(ce.text)} in Compose but ${JSON.stringify(ke.text)} in Kubernetes.`,
          compose: side(describeEnvValue(ce, false), ce.loc),
          kubernetes: side(describeEnvValue(ke, false), ke.value.kind === 'configMap' && ke.value.sourceLoc ? ke.value.sourceLoc : ke.loc),
          fix: `set ${key} to ${JSON.stringify(ce.text)}${ke.value.kind === 'configMap' ? ` in ConfigMap ${ke.value.name} (key ${ke.value.key})` : ''}, or change Compose if Kubernetes is right.`,
        }, label);
      }
      const downward: string[] = [];
      for (const [key, ke] of k) {
        if (c.has(key)) continue;
        if (ke.value.kind === 'fieldRef' || ke.value.kind === 'resourceFieldRef') {
          downward.push(`${key} (${ke.value.kind === 'fieldRef' ? ke.value.fieldPath : ke.value.resource})`);
          continue;
        }
        const optionalMissing = (ke.value.kind === 'secret' || ke.value.kind === 'configMap') && ke.value.optional && ke.value.value === null;
        const namesService = ke.text !== null && ctx.kubernetes.networkNames.some((n) => n.name === ke.text);
        set.add({
          rule: 'environment',
          severity: optionalMissing || namesService ? 'info' : 'warn',
          service: g.name,
          subject: key,
          message: optionalMissing
            ? `${key} is only in Kubernetes, from an optional reference that resolves to nothing here, so it is unset as in Compose.`
            : namesService
              ? `${key} is only in Kubernetes; it names the Service ${ke.text} (platform wiring Compose has no use for).`
              : `${key} is set in Kubernetes (${describeEnvValue(ke, isSecretName(key))}) but not in Compose.`,
          compose: null,
          kubernetes: side(describeEnvValue(ke, isSecretName(key)), ke.loc),
          fix: optionalMissing || namesService ? 'nothing to do.' : `add ${key} to the Compose service, or remove it from the manifest.`,
        }, label);
      }
      if (downward.length) {
        const first = [...k.values()].find((e) => e.value.kind === 'fieldRef' || e.value.kind === 'resourceFieldRef')!;
        set.add({
          rule: 'environment',
          severity: 'info',
          service: g.name,
          subject: 'downward API',
          message: `Kubernetes-only identity from the downward API: ${downward.join(', ')}.`,
          compose: null,
          kubernetes: side(downward.join(', '), first.loc),
          fix: 'nothing to do: Compose derives identity from the hostname.',
        });
      }
    }
    return set.list();
  },
};
