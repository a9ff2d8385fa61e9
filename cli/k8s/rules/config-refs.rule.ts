// A missing ConfigMap, Secret or key is only discovered when the kubelet
// starts the container (CreateContainerConfigError); here it is found before
// anything is applied.
import type { FieldPath, ManifestObject } from '../../manifests/objects.ts';
import { containersOf, podSpecOf } from '../../manifests/objects.ts';
import { finding, objectsOfKind, type ManifestFinding, type ManifestRule, type RuleContext } from './rule.ts';

function keysOf(o: ManifestObject): Set<string> {
  return new Set([...Object.keys(o.object.data ?? {}), ...Object.keys(o.object.stringData ?? {}), ...Object.keys(o.object.binaryData ?? {})]);
}

export const configRefsRule: ManifestRule = {
  id: 'config-ref',
  description: 'Every configMapKeyRef, secretKeyRef, envFrom and configMap/secret volume resolves to an object and key in the set, or is optional.',
  check(ctx: RuleContext) {
    const out: ManifestFinding[] = [];
    for (const at of ctx.objects) {
      const pod = podSpecOf(at.object);
      if (!pod) continue;
      const ns = at.namespace;
      const lookup = (kind: 'ConfigMap' | 'Secret', name: string) => objectsOfKind(ctx, kind, ns).find((o) => o.object.metadata?.name === name);
      const check = (kind: 'ConfigMap' | 'Secret', name: string | undefined, key: string | undefined, optional: boolean, path: FieldPath, what: string) => {
        if (optional || !name) return;
        const target = lookup(kind, name);
        if (!target) {
          const known = objectsOfKind(ctx, kind, ns).map((o) => o.object.metadata?.name);
          out.push(finding('config-ref', 'error', at, path, `${what} refers to ${kind} "${name}", which is not in the manifests (namespace ${ns}); the pod would fail with CreateContainerConfigError.`, known.length ? `use one of ${known.join(', ')}, add ${kind} ${name}, or mark the reference optional: true.` : `add ${kind} ${name}, or mark the reference optional: true.`));
          return;
        }
        if (key !== undefined && !keysOf(target).has(key)) {
          out.push(finding('config-ref', 'error', at, [...path, 'key'], `${what} needs key "${key}" of ${kind} "${name}", which has only: ${[...keysOf(target)].join(', ') || 'no keys'}.`, `add ${key} to ${kind} ${name} (${target.file}:${target.line}), fix the key name, or mark it optional: true.`));
        }
      };
      for (const { container, path } of containersOf(at.object)) {
        const cname = container.name ?? '(unnamed)';
        (Array.isArray(container.env) ? container.env : []).forEach((e: any, i: number) => {
          const cm = e?.valueFrom?.configMapKeyRef;
          const sk = e?.valueFrom?.secretKeyRef;
          if (cm) check('ConfigMap', cm.name, cm.key, cm.optional === true, [...path, 'env', i, 'valueFrom', 'configMapKeyRef'], `env ${e.name} of container ${cname}`);
          if (sk) check('Secret', sk.name, sk.key, sk.optional === true, [...path, 'env', i, 'valueFrom', 'secretKeyRef'], `env ${e.name} of container ${cname}`);
        });
        (Array.isArray(container.envFrom) ? container.envFrom : []).forEach((e: any, i: number) => {
          if (e?.configMapRef) check('ConfigMap', e.configMapRef.name, undefined, e.configMapRef.optional === true, [...path, 'envFrom', i, 'configMapRef'], `envFrom of container ${cname}`);
          if (e?.secretRef) check('Secret', e.secretRef.name, undefined, e.secretRef.optional === true, [...path, 'envFrom', i, 'secretRef'], `envFrom of container ${cname}`);
        });
      }
      (Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).forEach((v: any, i: number) => {
        const vpath = [...pod.path, 'volumes', i];
        if (v?.configMap) {
          check('ConfigMap', v.configMap.name, undefined, v.configMap.optional === true, [...vpath, 'configMap'], `volume ${v.name}`);
          (v.configMap.items ?? []).forEach((it: any, j: number) => check('ConfigMap', v.configMap.name, it?.key, v.configMap.optional === true, [...vpath, 'configMap', 'items', j], `volume ${v.name}`));
        }
        if (v?.secret) {
          check('Secret', v.secret.secretName, undefined, v.secret.optional === true, [...vpath, 'secret'], `volume ${v.name}`);
          (v.secret.items ?? []).forEach((it: any, j: number) => check('Secret', v.secret.secretName, it?.key, v.secret.optional === true, [...vpath, 'secret', 'items', j], `volume ${v.name}`));
        }
      });
    }
    return out;
  },
};
