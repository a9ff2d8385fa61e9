// Accepted differences: migrate-check.accept.yaml lists findings the team
// has looked at and keeps, each with a reason. An accepted finding is still
// shown, marked as such, and does not fail the run; an acceptance that
// matches nothing any more is itself a finding, so the file cannot rot.
//
//   accept:
//     - rule: replicas
//       service: webserver
//       subject: replicas          # optional; `*` matches any text
//       reason: Kubernetes runs two webservers behind webserver-service.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { usageError } from '../errors.ts';
import { entries, get, items, keyLoc, parseLocatedYaml, str } from '../manifests/located-yaml.ts';
import type { Finding } from './finding.ts';
import type { Loc } from './model.ts';

/**
 * The run-time checks of `devenv compare`: one accept file serves both
 * commands, with rules `runtime-<check>` for compare's rows.
 */
export const RUNTIME_CHECKS = ['api', 'rate-limit', 'chain', 'peers', 'config', 'restart', 'persistence'] as const;
export type RuntimeCheck = (typeof RUNTIME_CHECKS)[number];
export const runtimeRuleId = (check: RuntimeCheck): string => `runtime-${check}`;
export const RUNTIME_RULE_IDS: string[] = RUNTIME_CHECKS.map(runtimeRuleId);

export interface Acceptance {
  rule: string;
  service: string;
  subject?: string;
  reason: string;
  loc: Loc;
}

const KEYS = ['rule', 'service', 'subject', 'reason'];

export function readAcceptFile(path: string, cwd: string, ruleIds: string[]): Acceptance[] {
  const file = relative(cwd, path) || path;
  if (!existsSync(path)) throw usageError(`accept file ${file} does not exist.`, 'pass an existing file to --accept, or omit it.');
  const doc = parseLocatedYaml(readFileSync(path, 'utf8'), file)[0];
  if (!doc) return [];
  const list = get(doc, 'accept');
  if (doc.kind !== 'map' || (list && list.kind !== 'seq')) throw usageError('the accept file must have an `accept:` list.', 'write `accept:` followed by `- rule: ..., service: ..., reason: ...` entries.', doc.loc);
  for (const [k, , loc] of entries(doc)) if (k !== 'accept') throw usageError(`unknown key \`${k}\` in the accept file.`, 'the only top-level key is `accept`.', loc);
  return items(list).map((item) => {
    if (item.kind !== 'map') throw usageError('each acceptance must be a mapping with rule, service and reason.', 'write `- rule: replicas` and indent service and reason under it.', item.loc);
    for (const [k, , loc] of entries(item)) if (!KEYS.includes(k)) throw usageError(`unknown key \`${k}\` in an acceptance.`, `allowed keys: ${KEYS.join(', ')}.`, loc);
    const rule = str(get(item, 'rule'));
    const service = str(get(item, 'service'));
    const reason = str(get(item, 'reason'))?.trim();
    if (!rule) throw usageError('an acceptance has no `rule`.', `name one of: ${ruleIds.join(', ')}.`, item.loc);
    if (!ruleIds.includes(rule)) throw usageError(`unknown rule \`${rule}\` in an acceptance.`, `rules: ${ruleIds.join(', ')}.`, get(item, 'rule')!.loc);
    if (!service) throw usageError('an acceptance has no `service`.', 'name the workload or Compose service the finding is about.', item.loc);
    if (!reason) throw usageError(`the acceptance of ${rule} for ${service} has no reason.`, 'add `reason:` saying why the difference is intended.', keyLoc(item, 'rule') ?? item.loc);
    return { rule, service, subject: str(get(item, 'subject')), reason, loc: keyLoc(item, 'rule') ?? item.loc };
  });
}

/** `*` in an acceptance's subject matches any text. */
export function wildcard(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(text);
}

/**
 * Marks accepted findings and appends a warn for every acceptance that matches nothing.
 * `aliases` maps a group name to the Compose service names it stands for.
 */
export function applyAcceptances(findings: Finding[], acceptances: Acceptance[], aliases: Map<string, string[]>): Finding[] {
  const used = new Set<Acceptance>();
  const out = findings.map((f) => {
    const a = acceptances.find((x) => x.rule === f.rule && (x.service === f.service || (aliases.get(f.service) ?? []).includes(x.service)) && (x.subject === undefined || wildcard(x.subject, f.subject)));
    if (!a) return f;
    used.add(a);
    return { ...f, accepted: { reason: a.reason, location: a.loc } };
  });
  for (const a of acceptances) {
    if (used.has(a)) continue;
    out.push({
      rule: 'acceptance',
      severity: 'warn',
      service: a.service,
      subject: `${a.rule}${a.subject ? ` ${a.subject}` : ''}`,
      message: `the acceptance of ${a.rule}${a.subject ? ` (${a.subject})` : ''} for ${a.service} matches no finding any more.`,
      compose: null,
      kubernetes: null,
      location: a.loc,
      fix: 'remove it from the accept file (the difference is gone), or fix its rule, service or subject.',
    });
  }
  return out;
}
