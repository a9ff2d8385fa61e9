// The environment one replica actually gets. Kubernetes values are evaluated
// for a given ordinal: the downward API gives the pod name (`miner-1`) and
// namespace, and `$(VAR)` expands variables defined earlier in the list, as
// the kubelet does. Values only known at run time (status.podIP) stay null.
import type { EnvValue, EnvVar, Loc, Workload } from './model.ts';

export interface EnvEntry {
  name: string;
  /** The value the process sees, or null when it is only known at run time or comes from outside. */
  text: string | null;
  value: EnvValue;
  loc: Loc;
  via?: string;
}

export function composeEnv(w: Workload): Map<string, EnvEntry> {
  const out = new Map<string, EnvEntry>();
  for (const e of w.env) {
    const text = e.value.kind === 'literal' ? e.value.value : e.value.kind === 'interpolation' && !e.value.unresolved ? e.value.value : null;
    out.set(e.name, { name: e.name, text, value: e.value, loc: e.loc, via: e.via });
  }
  return out;
}

function fieldValue(fieldPath: string, w: Workload, ordinal: number, namespace: string): string | null {
  if (fieldPath === 'metadata.name') return w.kind === 'StatefulSet' ? `${w.name}-${ordinal}` : null;
  if (fieldPath === 'metadata.namespace') return namespace;
  const label = /^metadata\.labels\['(.+)'\]$/.exec(fieldPath);
  if (label) return w.labels?.[label[1]] ?? null;
  return null;
}

export function kubernetesEnv(w: Workload, ordinal: number, namespace: string): Map<string, EnvEntry> {
  const out = new Map<string, EnvEntry>();
  const expand = (text: string) =>
    text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string | undefined) => {
      if (!name) return '$';
      const prior = out.get(name);
      return prior?.text ?? whole;
    });
  for (const e of w.env as EnvVar[]) {
    if (e.name.startsWith('\0')) continue;
    let text: string | null;
    switch (e.value.kind) {
      case 'literal':
        text = expand(e.value.value);
        break;
      case 'configMap':
      case 'secret':
        text = e.value.value;
        break;
      case 'fieldRef':
        text = fieldValue(e.value.fieldPath, w, ordinal, namespace);
        break;
      default:
        text = null;
    }
    out.set(e.name, { name: e.name, text, value: e.value, loc: e.loc, via: e.via });
  }
  return out;
}

/** How a value is shown: never a Secret's or a secret-named variable's content. */
export function describeEnvValue(e: EnvEntry, secretName: boolean): string {
  const v = e.value;
  switch (v.kind) {
    case 'literal':
      return secretName ? '(literal, hidden)' : JSON.stringify(e.text ?? v.value);
    case 'interpolation':
      return secretName || v.vars.some((x) => /KEY|SECRET|TOKEN|PASSWORD/i.test(x.name)) ? `${v.raw.replace(/:\?.*\}$/, '}')}` : `${JSON.stringify(v.value)} (from ${v.raw})`;
    case 'configMap':
      return `${secretName ? '(hidden)' : JSON.stringify(v.value)} (ConfigMap ${v.name} key ${v.key})`;
    case 'secret':
      return `Secret ${v.name} key ${v.key}`;
    case 'fieldRef':
      return `downward API ${v.fieldPath}${e.text !== null ? ` (${e.text})` : ''}`;
    case 'resourceFieldRef':
      return `resource ${v.resource}`;
  }
}
