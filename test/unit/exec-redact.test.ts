import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayCommand, ExecaRunner } from '../../cli/adapters/exec.ts';
import { CommandError, DevenvError, ExitCode, isProgramMissing } from '../../cli/errors.ts';
import { formatPlanEntry, Plan } from '../../cli/plan.ts';
import { Redactor } from '../../cli/redact.ts';

const SECRET = 'sk-live-0123456789abcdef';

function setup(dryRun: boolean) {
  const redactor = new Redactor({ BITCOIN_API_ADMIN_KEY: SECRET, HOME: '/root', NODE_IS_MINER: 'yes' });
  const plan = new Plan(redactor);
  const logs: string[] = [];
  const runner = new ExecaRunner(plan, redactor, dryRun, (l) => logs.push(l));
  return { redactor, plan, runner, logs };
}

test('redactor: values of secret-named env vars and registered values become ***', () => {
  const r = new Redactor({ BITCOIN_API_WALLET_KEY: 'wallet-secret-1', GITHUB_TOKEN: 'ghp_abc123', PATH: '/usr/bin', NODE_IS_MINER: 'yes' });
  r.add('extra-secret');
  assert.is(r.redact('a wallet-secret-1 b ghp_abc123 c extra-secret /usr/bin yes'), 'a *** b *** c *** /usr/bin yes');
  assert.is(r.redactAssignment('MY_API_KEY=brand-new-value'), 'MY_API_KEY=***');
  assert.is(r.redactAssignment('NODE_IS_MINER=yes'), 'NODE_IS_MINER=yes');
});

test('exec: runs argument arrays (no shell), captures output, records the plan', async () => {
  const { runner, plan } = setup(false);
  // A shell would expand $HOME and split on the space; an argument array does not.
  const res = await runner.run({ cmd: process.execPath, args: ['-e', 'console.log(process.argv[1])', '$HOME and more'] });
  assert.is(res.stdout, '$HOME and more');
  assert.is(res.exitCode, 0);
  assert.is(plan.entries.length, 1);
  assert.equal((plan.entries[0] as any).argv.slice(1), ['-e', 'console.log(process.argv[1])', '$HOME and more']);
});

test('exec: a failed command is a DevenvError whose message and details have no secret', async () => {
  const { runner } = setup(false);
  try {
    await runner.run({ cmd: process.execPath, args: ['-e', `console.error("key is ${SECRET}"); process.exit(7)`, `BITCOIN_API_ADMIN_KEY=${SECRET}`] });
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, DevenvError);
    const err = e as DevenvError;
    assert.match(err.message, /failed with exit code 7/);
    // A value callers read by its fields: how it failed, the status, the line to paste.
    assert.instance(err, CommandError);
    const c = err as CommandError;
    assert.is(c.failure, 'exit');
    assert.is(c.status, 7);
    assert.is(c.program, process.execPath);
    assert.ok(c.commandLine.startsWith(`${process.execPath} -e `), c.commandLine);
    assert.ok(c.commandLine.endsWith(" 'BITCOIN_API_ADMIN_KEY=***'"), c.commandLine);
    assert.match(c.outputTail, /key is \*\*\*/);
    assert.match(err.details!, /key is \*\*\*/);
    assert.not.ok(`${err.message}${err.details}${err.hint}`.includes(SECRET));
  }
});

test('exec: a missing program is exit 3 with a hint', async () => {
  const { runner } = setup(false);
  try {
    await runner.run({ cmd: 'devenv-no-such-program', args: [], missingHint: 'install it.' });
    assert.unreachable();
  } catch (e) {
    assert.is((e as DevenvError).exitCode, ExitCode.prerequisite);
    assert.match((e as DevenvError).message, /devenv-no-such-program` was not found on PATH/);
    assert.ok(isProgramMissing(e));
    assert.is((e as CommandError).status, null);
  }
});

test('dry run: nothing is executed, the ordered plan is recorded and redacted', async () => {
  const { runner, plan } = setup(true);
  const dir = mkdtempSync(join(tmpdir(), 'devenv-dry-'));
  const marker = join(dir, 'created');
  const r1 = await runner.run({ cmd: 'touch', args: [marker] });
  const r2 = await runner.run({ cmd: 'kubectl', args: ['create', 'secret', 'generic', 'x', `--from-literal=BITCOIN_API_ADMIN_KEY=${SECRET}`] });
  assert.ok(r1.dryRun && r2.dryRun);
  assert.not.ok(existsSync(marker), 'dry run must not execute');
  const text = plan.entries.map(formatPlanEntry).join('\n');
  assert.is(text.split('\n')[0], `touch ${marker}`);
  assert.match(text.split('\n')[1], /^kubectl create secret generic x/);
  assert.not.ok(text.includes(SECRET));
  assert.match(text, /\*\*\*/);
});

test('timeouts are bounded and reported', async () => {
  const { runner, redactor } = setup(false);
  const args = ['-e', 'setTimeout(()=>{}, 10000)'];
  const started = Date.now();
  const error = await runner.run({ cmd: process.execPath, args, timeoutMs: 300 }).then(
    () => assert.unreachable('the command must be stopped at its timeout'),
    (e: unknown) => e,
  );
  assert.ok(Date.now() - started < 5000, 'stopped near its 300 ms timeout, not after the 10 s the command wanted');
  assert.instance(error, DevenvError);
  const message = (error as DevenvError).message;
  assert.ok(message.endsWith(' did not finish within 0.3 s and was stopped.'), message);
  assert.is(message, `\`${displayCommand(process.execPath, args, redactor)}\` did not finish within 0.3 s and was stopped.`);
  assert.is((error as CommandError).failure, 'timeout');
  assert.not.ok(isProgramMissing(error));
});

test('the dev keys already generated into compose/.env and manifests/secrets.env are masked from the start', async () => {
  const { createAppContext } = await import('../../cli/context.ts');
  const { sessionRedactor } = await import('../../cli/redact.ts');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'devenv-keys-'));
  mkdirSync(join(dir, 'compose'));
  mkdirSync(join(dir, 'manifests'));
  writeFileSync(join(dir, 'compose/.env'), 'BITCOIN_API_ADMIN_KEY=compose-admin-key-123\nOTHER=visible-value\n');
  writeFileSync(join(dir, 'manifests/secrets.env'), 'BITCOIN_API_WALLET_KEY=k8s-wallet-key-456\n');
  const app = createAppContext({ dryRun: true, json: false, verbose: false }, { cwd: dir, env: {} });
  assert.is(app.redactor.redact('a compose-admin-key-123 b k8s-wallet-key-456 c visible-value'), 'a *** b *** c visible-value');
  // The entry point's error printer uses the same redactor.
  assert.is(sessionRedactor({}).redact('compose-admin-key-123'), '***');
});

test.run();
