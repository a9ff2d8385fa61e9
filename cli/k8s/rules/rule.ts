// What a manifest rule is and what it reports. Each rule lives in its own
// file with an id, a description and a check over every rendered object, so
// a finding can name the rule that produced it and tests can target one rule.
import type { FieldPath, LoadedObject } from '../manifest-source.ts';
import { objectRef, type K8sObject } from '../objects.ts';

export type Severity = 'error' | 'warning';

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  line: number;
  /** `StatefulSet/miner` */
  object: string;
  message: string;
  fix: string;
}

export interface RuleContext {
  /** Every rendered object of the set being validated. */
  objects: LoadedObject[];
  /** Namespace assumed for objects without one. */
  defaultNamespace: string;
}

export interface ManifestRule {
  id: string;
  description: string;
  check(ctx: RuleContext): Finding[] | Promise<Finding[]>;
}

export function finding(rule: string, severity: Severity, at: LoadedObject, path: FieldPath, message: string, fix: string): Finding {
  return { rule, severity, file: at.source.file, line: at.source.lineOf(path), object: objectRef(at.object), message, fix };
}

export function nsOf(o: K8sObject, ctx: RuleContext): string {
  return o.metadata?.namespace ?? ctx.defaultNamespace;
}

/** The objects of a kind in a namespace (cluster-scoped kinds ignore the namespace). */
export function objectsOfKind(ctx: RuleContext, kind: string, namespace?: string): LoadedObject[] {
  return ctx.objects.filter((o) => o.object.kind === kind && (namespace === undefined || nsOf(o.object, ctx) === namespace));
}
