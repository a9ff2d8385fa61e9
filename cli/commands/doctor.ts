import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.ts';
import type { Mode } from '../adapters/host-ports.ts';
import { ExitCode } from '../errors.ts';
import { formatTable } from '../output.ts';
import { runCommand } from './run-command.ts';

interface DoctorArgs {
  compose?: boolean;
  k8s?: boolean;
}

export const doctorCommand: CommandModule<GlobalArgs, GlobalArgs & DoctorArgs> = {
  command: 'doctor',
  describe: 'Check every prerequisite (Docker, Compose, kind, kubectl, ports, disk) and say how to fix what is missing',
  builder: (y) =>
    y
      .option('compose', { type: 'boolean', describe: 'Judge for the Compose environment (the default)' })
      .option('k8s', { type: 'boolean', describe: 'Judge for the Kubernetes (kind) environment' })
      .conflicts('compose', 'k8s')
      .example('$0 doctor', 'check what `devenv up` needs')
      .example('$0 doctor --k8s --json', 'machine-readable check for `devenv up --k8s`'),
  handler: runCommand<DoctorArgs>(async (app, argv) => {
    const { runDoctorChecks } = await import('../doctor/checks.ts');
    const mode: Mode = argv.k8s ? 'k8s' : 'compose';
    const checks = await runDoctorChecks(app, mode);
    const failed = checks.filter((c) => c.verdict === 'fail');
    const table = formatTable(
      ['CHECK', 'VERDICT', 'DETAIL'],
      checks.map((c) => [c.title, c.verdict.toUpperCase(), c.fix ? `${c.detail}; fix: ${c.fix}` : c.detail]),
    );
    const summary = failed.length ? `${failed.length} check(s) failed for --${mode}: ${failed.map((c) => c.title).join(', ')}.` : `ready for --${mode}.`;
    app.output.result(`${table}\n\n${summary}`, { mode, ok: failed.length === 0, checks });
    return failed.length ? ExitCode.prerequisite : ExitCode.ok;
  }),
};
