// What every command receives: the global flags, the loaded config, and the
// effectful services (runner, plan, output) built once at the edge. Tests build
// their own with a fake runner.
import { loadConfig, type DevenvConfig } from './config.ts';
import { ExecaRunner, type CommandRunner } from './adapters/exec.ts';
import { chooseOutputMode, Output, type OutputMode } from './output.ts';
import { Plan } from './plan.ts';
import { Redactor, setSessionRedactor } from './redact.ts';
import { registerDevSecrets } from './dev-secrets.ts';
import { configPath } from './config.ts';
import { dirname, join } from 'node:path';

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
  // The generated dev keys are masked from the start: compose/.env and manifests/secrets.env.
  registerDevSecrets([join(dirname(configPath(config, config.compose.file)), '.env'), join(configPath(config, config.manifests), 'secrets.env')], redactor);
  setSessionRedactor(redactor);
  const plan = new Plan(redactor);
  const runner = new ExecaRunner(plan, redactor, args.dryRun, (line) => output.debug(line));
  return { args, cwd, env, config, redactor, plan, runner, output };
}
