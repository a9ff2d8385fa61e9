// A password written into a manifest's env is in every copy of the repository
// and in `kubectl get -o yaml`; a Secret (secretKeyRef) is where it belongs.
import { containersOf } from '../../manifests/objects.ts';
import { finding, type ManifestFinding, type ManifestRule } from './rule.ts';

const SECRET_NAME = /(^|_)(PASSWORD|PASSWD|PASS|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)($|_)/i;

export const envSecretRule: ManifestRule = {
  id: 'env-secret',
  description: 'No env value that names a password, token or key is written in plain text (it belongs in a Secret).',
  check(ctx) {
    const out: ManifestFinding[] = [];
    for (const at of ctx.objects) {
      for (const { container, path } of containersOf(at.object)) {
        (Array.isArray(container.env) ? container.env : []).forEach((e: any, i: number) => {
          const v = e?.value;
          // `$(OTHER)` only refers to another variable; an empty value holds nothing.
          if (typeof v !== 'string' || !v || /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(v) || !SECRET_NAME.test(String(e.name))) return;
          out.push(finding('env-secret', 'warn', at, [...path, 'env', i, 'value'], `env ${e.name} of container ${container.name} holds a secret in plain text.`, `put it in a Secret and use valueFrom.secretKeyRef (kubectl create secret generic ... --from-literal=${e.name}=...).`));
        });
      }
    }
    return out;
  },
};
