// Where a command's time goes, for `npm run bench` (issue 11): named marks and
// timed spans on Node's performance timeline. Recording costs microseconds;
// nothing is printed unless the entry point is asked to (DEVENV_TIMINGS=1),
// and then only names and milliseconds, never values.
const PREFIX = 'devenv:';

/** A point in the run (`devenv:<name>`, milliseconds since the process started). */
export function mark(name: string): void {
  performance.mark(PREFIX + name);
}

/** Runs `fn` and records how long it took as a `devenv:<name>` span. */
export function timed<T>(name: string, fn: () => T): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    performance.measure(PREFIX + name, { start });
  }
}

/** A span that started at `start` (performance.now()) and ends now. */
export function span(name: string, start: number): void {
  performance.measure(PREFIX + name, { start });
}

export interface TimingEntry {
  name: string;
  /** Milliseconds since the process started. */
  start: number;
  duration: number;
}

/** Every mark and span recorded so far, and the time now (the exit). */
export function timings(): { entries: TimingEntry[]; now: number } {
  const entries = performance
    .getEntries()
    .filter((e) => e.name.startsWith(PREFIX))
    .map((e) => ({ name: e.name.slice(PREFIX.length), start: Math.round(e.startTime * 10) / 10, duration: Math.round(e.duration * 10) / 10 }));
  return { entries, now: Math.round(performance.now() * 10) / 10 };
}
