// What every command receives: the global flags, the loaded config, and the
// effectful services (runner, plan, output) built once at the edge. Tests build
// their own with a fake runner.
import { loadConfig, type DevenvConfig } from './config.ts';
import { ExecaRunner, type CommandRunner } from './adapters/exec.ts';
import { chooseOutputMode, Output, type OutputMode } from './output.ts';
import { Plan } from './plan.ts';
import { Redactor } from './redact.ts';

export interface GlobalArgs {
  dryRun: boolean;
  json: boolean;
  verbose: boolean;
  config?: string;
}

export interface AppContext {
  args: GlobalArgs;
  cwd: string;
  env: NodeJS.ProcessEnv;
  config: DevenvConfig;
  redactor: Redactor;
  plan: Plan;
  runner: CommandRunner;
  output: Output;
}

export function createAppContext(
  args: GlobalArgs,
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; isTTY?: boolean; mode?: OutputMode } = {},
): AppContext {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const redactor = new Redactor(env);
  const mode = opts.mode ?? chooseOutputMode({ json: args.json, isTTY: opts.isTTY ?? Boolean(process.stderr.isTTY), env });
  const output = new Output(mode, redactor, args.verbose);
  const config = loadConfig({ configPath: args.config, cwd, env });
  const plan = new Plan(redactor);
  const runner = new ExecaRunner(plan, redactor, args.dryRun, (line) => output.debug(line));
  return { args, cwd, env, config, redactor, plan, runner, output };
}
