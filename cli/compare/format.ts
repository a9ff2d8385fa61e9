// `devenv compare` as text: one line a check, the two sides side by side, the
// verdict last; long values are cut to fit 80 columns (--json has them all),
// and every row that is not `same` is explained below the table.
import { wrap } from '../output-wrap.ts';
import { shownText, type CompareRow, type CompareSummary } from './rows.ts';

const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}~`);

export function verdictLine(summary: CompareSummary): string {
  const parts = [`${summary.same} same`, `${summary.different} different`, `${summary.accepted} accepted`];
  if (summary.unchecked) parts.push(`${summary.unchecked} not checked`);
  const what = summary.exitCode === 0 ? 'the two environments behave the same' : summary.exitCode === 4 ? 'the environments differ' : 'a side could not be checked';
  return `compare: ${parts.join(', ')}: ${what}.`;
}

export function formatCompareText(rows: CompareRow[], summary: CompareSummary, sides: { compose: string; kubernetes: string }): string {
  // A heading per check and service; under it, a line a row: subject, Compose, Kubernetes, verdict (79 columns).
  const lines: string[] = [];
  let heading = '';
  const body: Array<Array<string>> = [];
  const flush = () => {
    if (!body.length) return;
    lines.push(heading, ...body.map(([a, b, c, d]) => `  ${a.padEnd(28)}  ${b.padEnd(17)}  ${c.padEnd(17)}  ${d}`));
    body.length = 0;
  };
  for (const r of rows) {
    const h = `${r.check}${r.service === '*' ? '' : ` (${r.service})`}`;
    if (h !== heading) {
      flush();
      heading = h;
    }
    body.push([cut(r.subject, 28), cut(shownText(r.compose), 17), cut(shownText(r.kubernetes), 17), r.verdict]);
  }
  flush();
  const notes = rows
    .filter((r) => r.verdict !== 'same')
    .map((r) => {
      const head = `${r.verdict}: ${r.check} ${r.service === '*' ? '' : `${r.service} `}${r.subject}`;
      const body = [`Compose: ${shownText(r.compose)}`, `Kubernetes: ${shownText(r.kubernetes)}`, r.accepted ? `accepted: ${r.accepted.reason} (${r.accepted.location.file}:${r.accepted.location.line})` : r.note ? `why it matters: ${r.note}` : ''].filter(Boolean);
      return [...wrap(head, '  ', 80, ''), ...body.flatMap((b) => wrap(b, '    ', 80, '  '))].join('\n');
    });
  const header = `${''.padEnd(30)}${'COMPOSE'.padEnd(19)}${'KUBERNETES'.padEnd(19)}VERDICT`;
  return [`Compose: ${sides.compose}\nKubernetes: ${sides.kubernetes}`, [header, ...lines].join('\n'), ...(notes.length ? [notes.join('\n')] : []), verdictLine(summary)].join('\n\n');
}
