// The report as Markdown, for a pull request comment: verdict first, then the
// pairings and one table per service; accepted differences keep their reason.
import { formatLocation } from '../errors.ts';
import type { Report } from './migrate-check.ts';
import { fails, groupFindings, verdictLine } from './report.text.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
const code = (s: string | number | null | undefined) => (s === null || s === undefined ? '' : `\`${String(s).replace(/`/g, "'")}\``);

export function formatMarkdownReport(report: Report): string {
  const out: string[] = [];
  out.push('## migrate-check: Compose vs Kubernetes');
  out.push('');
  out.push(`**${verdictLine(report)}**`);
  out.push('');
  out.push(`Compared ${report.inputs.compose.map(code).join(' + ')} with ${report.inputs.manifests.map(code).join(' + ')} (${report.inputs.render === 'kubectl-kustomize' ? '`kubectl kustomize`' : 'files as written'}), namespace ${code(report.inputs.namespace)}.`);
  out.push('');
  out.push('| Compose | Kubernetes | Paired by |');
  out.push('|---|---|---|');
  for (const p of report.pairings) out.push(`| ${code(p.compose)} | ${code(`${p.kubernetes.kind}/${p.kubernetes.name}${p.kubernetes.ordinal !== null ? `#${p.kubernetes.ordinal}` : ''}`)} | ${p.via} |`);
  for (const c of report.unpaired.compose) out.push(`| ${code(c.name)} | (none) | unpaired |`);
  for (const k of report.unpaired.kubernetes) out.push(`| (none) | ${code(`${k.kind}/${k.name}`)} | unpaired |`);
  for (const g of groupFindings(report)) {
    out.push('');
    out.push(`### ${g.service}`);
    out.push('');
    out.push('| Severity | Rule | Subject | Compose | Kubernetes | Finding |');
    out.push('|---|---|---|---|---|---|');
    for (const f of g.findings) {
      const sev = f.accepted ? `${f.severity} (accepted)` : fails(f) ? `**${f.severity}**` : f.severity;
      const c = f.compose ? `${code(f.compose.location ? formatLocation(f.compose.location) : '')}<br>${cell(code(f.compose.value) || '(not set)')}` : '';
      const k = f.kubernetes ? `${code(f.kubernetes.location ? formatLocation(f.kubernetes.location) : '')}<br>${cell(code(f.kubernetes.value) || '(not set)')}` : f.location ? code(formatLocation(f.location)) : '';
      const text = `${f.message}${f.accepted ? `<br>Accepted: ${f.accepted.reason}` : fails(f) ? `<br>Fix: ${f.fix}` : ''}`;
      out.push(`| ${sev} | ${f.rule} | ${cell(f.subject)} | ${c} | ${k} | ${cell(text)} |`);
    }
  }
  return out.join('\n');
}
