// What a manifest rule is and what it reports. Each rule lives in its own
// file with an id, a description and a check over every rendered object, so
// a finding can name the rule that produced it and tests can target one rule.
import { objectRef, type FieldPath, type ManifestObject } from '../../manifests/objects.ts';
import type { Severity } from '../../severity.ts';

/** Manifest rules report errors and warnings (the shared vocabulary without info). */
export type ManifestSeverity = Exclude<Severity, 'info'>;

/** What a manifest rule reports about one object, at its file:line. */
export interface ManifestFinding {
  rule: string;
  severity: ManifestSeverity;
  file: string;
  line: number;
  /** `StatefulSet/miner` */
  object: string;
  message: string;
  fix: string;
}

export interface RuleContext {
  /** Every rendered object of the set being validated. */
  objects: ManifestObject[];
  /** Storage classes the target cluster has (kind: `standard`). */
  storageClasses?: string[];
}

export interface ManifestRule {
  id: string;
  description: string;
  check(ctx: RuleContext): ManifestFinding[] | Promise<ManifestFinding[]>;
}

export function finding(rule: string, severity: ManifestSeverity, at: ManifestObject, path: FieldPath, message: string, fix: string): ManifestFinding {
  const loc = at.locOf(path);
  return { rule, severity, file: loc.file ?? at.file, line: loc.line ?? at.line, object: objectRef(at.object), message, fix };
}

/** The objects of a kind in a namespace (cluster-scoped kinds ignore the namespace). */
export function objectsOfKind(ctx: RuleContext, kind: string, namespace?: string): ManifestObject[] {
  return ctx.objects.filter((o) => o.object.kind === kind && (namespace === undefined || o.namespace === namespace));
}
