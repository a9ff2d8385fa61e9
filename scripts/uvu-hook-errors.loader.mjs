// The module hook behind scripts/uvu-hook-errors.mjs: patches uvu's runner
// (node_modules/uvu/dist/index.mjs) so hooks run through devenvHook().
const HOOK_CALL = /for \(hook of (before|after|bEach|aEach)\) await hook\(state\);/g;
// before x1, bEach x1, aEach x2 (after a pass, after a failure), after x1.
const EXPECTED_CALLS = 5;

const guard = `
async function devenvHook(kind, suite, hook, state) {
  try {
    await hook(state);
  } catch (err) {
    // uvu sets process.exitCode from its own count after the run: set it again on exit.
    process.once('exit', () => { process.exitCode = 1; });
    const where = suite ? \`suite "\${suite}"\` : 'the default suite';
    const test = state && state.__test__ ? \` (test "\${state.__test__}")\` : '';
    console.error(\`hook failed: \${kind} hook of \${where}\${test}: \${(err && err.stack) || err}\`);
    // A failed after hook must not hide the totals; any other stops what it guards.
    if (kind !== 'after') throw err;
  }
}
`;

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!/\/node_modules\/uvu\/dist\/index\.mjs$/.test(url)) return result;
  const source = String(result.source);
  const calls = source.match(HOOK_CALL)?.length ?? 0;
  if (calls !== EXPECTED_CALLS) {
    throw new Error(`scripts/uvu-hook-errors.loader.mjs: expected ${EXPECTED_CALLS} hook calls in uvu's runner, found ${calls}: uvu changed, update the patch`);
  }
  const patched = source.replace(HOOK_CALL, (_m, kind) => `for (hook of ${kind}) await devenvHook('${kind}', name, hook, state);`);
  return { ...result, source: guard + patched };
}
