// `devenv compare` as text: one line a check, the two sides side by side, the
// verdict last; long values are cut to fit 80 columns (--json has them all),
// and every row that is not `same` is explained below the table.
import { formatTable } from '../output.ts';
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
  const table = formatTable(
    ['CHECK', 'SUBJECT', 'COMPOSE', 'KUBERNETES', 'VERDICT'],
    rows.map((r) => [r.check, cut(`${r.service === '*' ? '' : `${r.service}: `}${r.subject}`, 22), cut(shownText(r.compose), 15), cut(shownText(r.kubernetes), 15), r.verdict]),
  );
  const notes = rows
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.verdict !== 'same')
    .map(({ r }) => {
      const head = `${r.verdict}: ${r.check} ${r.service === '*' ? '' : `${r.service} `}${r.subject}`;
      const body = [`Compose: ${shownText(r.compose)}`, `Kubernetes: ${shownText(r.kubernetes)}`, r.accepted ? `accepted: ${r.accepted.reason} (${r.accepted.location.file}:${r.accepted.location.line})` : r.note ? `why it matters: ${r.note}` : ''].filter(Boolean);
      return [...wrap(head, '  ', 80, ''), ...body.flatMap((b) => wrap(b, '    ', 80, '  '))].join('\n');
    });
  return [`Compose: ${sides.compose}\nKubernetes: ${sides.kubernetes}`, table, ...(notes.length ? [notes.join('\n')] : []), verdictLine(summary)].join('\n\n');
}
