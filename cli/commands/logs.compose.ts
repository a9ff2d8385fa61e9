// `devenv logs [service]` on Docker Compose: `compose logs`, line by line
// (one JSON event per line under --json).
import type { AppContext } from '../context.ts';
import { ExitCode } from '../errors.ts';
import { openCompose } from '../compose/compose-project.ts';

export async function logsCompose(app: AppContext, argv: { service?: string; follow: boolean; tail: number }): Promise<ExitCode | void> {
  const compose = await openCompose(app);
  const args = ['logs', '--no-color', '--tail', String(argv.tail), ...(argv.follow ? ['--follow'] : []), ...(argv.service ? [argv.service] : [])];
  const print = app.output.json ? (line: string) => app.output.event({ event: 'log-line', line }) : (line: string) => process.stdout.write(app.redactor.redact(line) + '\n');
  const res = await compose.run(args, { onLine: print, check: false });
  if (res.exitCode !== 0 && !res.dryRun) {
    app.output.warn(res.stderr.trim() || `compose logs exited with ${res.exitCode}`);
    return ExitCode.failure;
  }
}
