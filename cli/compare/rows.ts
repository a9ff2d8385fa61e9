// The rows of `devenv compare`: one check a row, what each side showed, and
// a verdict. What a side showed is kept twice: as text for people and as a
// comparison key (status codes, field names, settings; never a timing, which
// is shown but does not decide). Pure: observations in, rows out.
import type { Location } from '../errors.ts';
import { runtimeRuleId, wildcard, type Acceptance, type RuntimeCheck } from '../topology/accept.ts';

export type CheckId = RuntimeCheck;

export type Verdict = 'same' | 'different' | 'accepted' | 'unchecked';

/** What one side showed for one row: text to print and the key compared; or why it could not be seen. */
export type Seen = { shown: string; key: string } | { error: string };

export interface CompareRow {
  check: CheckId;
  /** The service (Compose name, or the paired group) the row is about; `*` for the whole environment. */
  service: string;
  subject: string;
  compose: Seen;
  kubernetes: Seen;
  verdict: Verdict;
  /** Why it differs, or what a reader should know. */
  note?: string;
  accepted?: { reason: string; location: Location };
}

export const seen = (shown: string, key: string = shown): Seen => ({ shown, key });
export const unseen = (error: string): Seen => ({ error });
export const isSeen = (s: Seen): s is { shown: string; key: string } => 'key' in s;
export const shownText = (s: Seen): string => (isSeen(s) ? s.shown : `(not checked: ${s.error})`);

export function row(check: CheckId, service: string, subject: string, compose: Seen, kubernetes: Seen, note?: string): CompareRow {
  const verdict: Verdict = !isSeen(compose) || !isSeen(kubernetes) ? 'unchecked' : compose.key === kubernetes.key ? 'same' : 'different';
  return { check, service, subject, compose, kubernetes, verdict, ...(note && verdict !== 'same' ? { note } : {}) };
}

/** A row both sides answer in the same terms: `f` gives each side's Seen from its own observation. */
export function pairRow<T>(check: CheckId, service: string, subject: string, sides: { compose: T | Error; kubernetes: T | Error }, f: (v: T) => Seen, note?: string): CompareRow {
  const one = (v: T | Error) => (v instanceof Error ? unseen(v.message) : f(v));
  return row(check, service, subject, one(sides.compose), one(sides.kubernetes), note);
}

/** Different rows an acceptance names (rule runtime-<check>, service, optional subject) become accepted. */
export function acceptRows(rows: CompareRow[], acceptances: Acceptance[]): CompareRow[] {
  return rows.map((r) => {
    if (r.verdict !== 'different') return r;
    const a = acceptances.find((x) => x.rule === runtimeRuleId(r.check) && (x.service === r.service || x.service === '*') && (x.subject === undefined || wildcard(x.subject, r.subject)));
    return a ? { ...r, verdict: 'accepted', accepted: { reason: a.reason, location: a.loc } } : r;
  });
}

export interface CompareSummary {
  same: number;
  different: number;
  accepted: number;
  unchecked: number;
  /** 0: only same/accepted; 4: a difference; 1: a side could not be checked. */
  exitCode: 0 | 1 | 4;
}

export function summarize(rows: CompareRow[]): CompareSummary {
  const n = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
  const s = { same: n('same'), different: n('different'), accepted: n('accepted'), unchecked: n('unchecked') };
  return { ...s, exitCode: s.unchecked > 0 ? 1 : s.different > 0 ? 4 : 0 };
}
