// The names the API server accepts (apimachinery validation): a Service name
// is an RFC 1035 label, most object names and pod hostnames RFC 1123
// subdomains or labels. One check, used by validate and migrate-check. Pure.

const LABEL_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export type NameRule = 'dns-1035-label' | 'dns-1123-label' | 'dns-1123-subdomain';

const SUBDOMAIN_KINDS = new Set(['ConfigMap', 'Secret', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod', 'PersistentVolumeClaim', 'PersistentVolume', 'ServiceAccount', 'Ingress', 'HorizontalPodAutoscaler', 'StorageClass']);

/**
 * Which rule the API server applies to metadata.name of a kind; null for
 * kinds with looser names (RBAC objects take any path segment, such as
 * `system:metrics-server`) or unknown to devenv.
 */
export function nameRuleOf(kind: string): NameRule | null {
  if (kind === 'Service') return 'dns-1035-label';
  if (kind === 'Namespace') return 'dns-1123-label';
  return SUBDOMAIN_KINDS.has(kind) ? 'dns-1123-subdomain' : null;
}

/** The closest name the rule accepts: lowercase, `_` and other characters as `-`, a leading letter for RFC 1035. */
export function suggestName(name: string, rule: NameRule): string {
  let s = name.toLowerCase().replace(rule === 'dns-1123-subdomain' ? /[^a-z0-9.-]/g : /[^a-z0-9-]/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  if (rule === 'dns-1035-label' && !/^[a-z]/.test(s)) s = `s-${s}`;
  return (s || 'name').slice(0, rule === 'dns-1123-subdomain' ? 253 : 63).replace(/[-.]+$/, '');
}

/** Why the API server rejects this name, or null when it accepts it. */
export function nameProblem(name: string, rule: NameRule): string | null {
  const max = rule === 'dns-1123-subdomain' ? 253 : 63;
  if (name.length > max) return `is longer than ${max} characters`;
  const ok = rule === 'dns-1035-label' ? LABEL_1035 : rule === 'dns-1123-label' ? LABEL_1123 : SUBDOMAIN_1123;
  if (ok.test(name)) return null;
  return rule === 'dns-1035-label'
    ? 'is not a DNS-1035 label (lowercase letters, digits and "-", starting with a letter)'
    : rule === 'dns-1123-label'
      ? 'is not a DNS-1123 label (lowercase letters, digits and "-")'
      : 'is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".")';
}
