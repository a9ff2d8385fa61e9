// A finding is one difference between the Compose original and its
// Kubernetes migration: which rule saw it, how bad it is, both sides' values
// with file:line, why it matters and how to fix it.
//   error: the migrated system breaks (a port nobody listens on, data lost).
//   warn:  it behaves differently (another replica count, a probe elsewhere).
//   info:  an expected platform difference (HPA, downward API, NodePort).
import type { Loc } from './model.ts';
import type { Severity } from '../severity.ts';

export interface Side {
  value: string | number | null;
  location: Loc | null;
}

export interface Finding {
  rule: string;
  severity: Severity;
  /** The group the finding belongs to: the workload name, or an unpaired service's name. */
  service: string;
  /** What inside the service: an env key, a port, a mount path, a config field. */
  subject: string;
  message: string;
  compose: Side | null;
  kubernetes: Side | null;
  fix: string;
  /** A third file the finding is about (an acceptance in the accept file). */
  location?: Loc;
  accepted?: { reason: string; location: Loc };
}

export const SEVERITY_ORDER: Severity[] = ['error', 'warn', 'info'];

export function side(value: Side['value'], location: Loc | null | undefined): Side {
  return { value, location: location ?? null };
}

/** Stable identity of a finding, used in JSON and to sort. */
export function findingId(f: Finding): string {
  return `${f.rule}:${f.service}:${f.subject}`;
}
