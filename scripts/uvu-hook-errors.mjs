// Loaded by scripts/run-tests.mjs into every test process (node --import).
// uvu 0.5 runs a suite's before/after hooks outside any try that reports:
// an error in a `before` hook is swallowed (the suite's tests just do not
// run, with no message), one in an `after` hook ends the process before the
// totals. This rewrites uvu's runner, as it is loaded, so that every hook
// error is printed as "hook failed: ..." (the runner counts those lines) and
// the process exits non-zero; a failed `before` still stops its suite.
// If uvu's code no longer has the expected shape, loading it fails loudly
// instead of silently losing the guard.
import { register } from 'node:module';

register('./uvu-hook-errors.loader.mjs', import.meta.url);
