// The report for people: the pairings, then one table per service (workload),
// then the fix for each difference that fails the run. Locations are
// file:line, so a terminal or editor can jump to them.
import { formatLocation } from '../errors.ts';
import { formatTable } from '../output.ts';
import { TEXT_WIDTH, wrap } from '../output-wrap.ts';
import type { Report, ReportFinding } from './migrate-check.ts';

export function groupFindings(report: Report): Array<{ service: string; heading: string; findings: ReportFinding[] }> {
  const groups: Array<{ service: string; heading: string; findings: ReportFinding[] }> = [];
  for (const f of report.findings) {
    let g = groups.find((x) => x.service === f.service);
    if (!g) {
      const pairs = report.pairings.filter((p) => p.kubernetes.name === f.service);
      const heading = pairs.length ? `${pairs[0].kubernetes.kind}/${f.service} <- ${pairs.map((p) => p.compose).join(', ')}` : report.unpaired.compose.some((c) => c.name === f.service) ? `Compose service ${f.service}, unpaired` : f.service;
      g = { service: f.service, heading, findings: [] };
      groups.push(g);
    }
    g.findings.push(f);
  }
  return groups;
}

export const fails = (f: ReportFinding) => !f.accepted && (f.severity === 'error' || f.severity === 'warn');

export function verdictLine(report: Report): string {
  const s = report.summary;
  const counts = `${s.error} error, ${s.warn} warn, ${s.info} info${s.accepted ? ` (${s.accepted} accepted)` : ''}`;
  return s.exitCode === 0 ? `No drift: ${counts}.` : `Drift found: ${s.unaccepted.error} error and ${s.unaccepted.warn} warn not accepted (${counts}).`;
}

export function formatTextReport(report: Report): string {
  const i = report.inputs;
  const lines: string[] = [];
  lines.push(...wrap(`migrate-check: ${i.compose.join(' + ')}${i.envFile ? ` (env ${i.envFile})` : ''} vs ${i.manifests.join(' + ')} (${i.render === 'kubectl-kustomize' ? 'kubectl kustomize' : 'files as written'}), namespace ${i.namespace}${i.accept ? `, accepted differences from ${i.accept}` : ''}`, '  ', TEXT_WIDTH, ''));
  lines.push('');
  lines.push('Pairings');
  const pairRows = report.pairings.map((p) => [p.compose, `${p.kubernetes.kind}/${p.kubernetes.name}${p.kubernetes.ordinal !== null ? ` #${p.kubernetes.ordinal}` : ''}`, p.via]);
  for (const c of report.unpaired.compose) pairRows.push([c.name, '(none)', 'unpaired']);
  for (const k of report.unpaired.kubernetes) pairRows.push(['(none)', `${k.kind}/${k.name}`, 'unpaired']);
  lines.push(indent(formatTable(['COMPOSE', 'KUBERNETES', 'VIA'], pairRows)));
  // One finding a block, wrapped to 80 columns.
  for (const g of groupFindings(report)) {
    lines.push('');
    lines.push(...wrap(g.heading === g.service ? g.service : `${g.service} (${g.heading})`, '  ', TEXT_WIDTH, ''));
    for (const f of g.findings) {
      lines.push(...wrap(`${f.accepted ? `${f.severity} (accepted)` : f.severity} ${f.rule} ${f.subject}`, '      ', TEXT_WIDTH, '  '));
      lines.push(...wrap(f.message + (f.accepted ? ` [accepted: ${f.accepted.reason}]` : ''), '    ', TEXT_WIDTH));
      if (!fails(f)) continue;
      const where = (s: ReportFinding['compose']) => `${s?.location ? `${formatLocation(s.location)}  ` : ''}${s?.value ?? '(not set)'}`;
      if (f.compose) lines.push(...wrap(where(f.compose), '                ', TEXT_WIDTH, '    compose:    '));
      if (f.kubernetes) lines.push(...wrap(where(f.kubernetes), '                ', TEXT_WIDTH, '    kubernetes: '));
      else if (f.location) lines.push(`    at: ${formatLocation(f.location)}`);
      lines.push(...wrap(f.fix, '         ', TEXT_WIDTH, '    fix: '));
    }
  }
  lines.push('');
  lines.push(verdictLine(report));
  if (report.summary.exitCode !== 0) lines.push(...wrap('Fix the differences above, or accept intended ones in migrate-check.accept.yaml (rule, service, subject, reason).', '', TEXT_WIDTH));
  return lines.join('\n');
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
