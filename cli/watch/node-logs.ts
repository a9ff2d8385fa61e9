// The node's own account of a failed start, from its log (pure): the ERROR
// lines (`<time> ERROR <message> key=value...`), without the timestamps.
export function errorLines(log: string, max = 3): string | null {
  const lines = log
    .split('\n')
    .map((l) => /^\S+\s+ERROR\s+(.*)$/.exec(l.trim())?.[1])
    .filter((l): l is string => Boolean(l));
  return lines.length ? lines.slice(-max).join('; ') : null;
}
