// docker compose through the exec helper: the v2 CLI plugin (`docker compose`)
// when present, else v1 (`docker-compose`). v1 rejects the top-level `name:`
// key, so it gets a copy of the file without it (next to the original, so
// relative paths still resolve) and the project name through `-p`.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import type { CommandResult, CommandRunner, CommandSpec } from './exec.ts';
import type { Plan } from '../plan.ts';

export interface ComposeCli {
  flavor: 'v2' | 'v1';
  /** Command and leading args: ['docker', 'compose'] or ['docker-compose']. */
  argv: string[];
  version: string;
}

export interface ComposeProject {
  name: string;
  file: string;
  env: Record<string, string>;
}

export const COMPOSE_MISSING_HINT =
  'install Docker Compose v2 (the `docker compose` CLI plugin: https://docs.docker.com/compose/install/) or, as a fallback, v1 (`apt-get install docker-compose`).';

/** Which Compose CLI to use; v2 preferred. Under --dry-run v2 is assumed. */
export async function detectCompose(runner: CommandRunner): Promise<ComposeCli | null> {
  if (runner.dryRun) return { flavor: 'v2', argv: ['docker', 'compose'], version: '(dry run)' };
  const candidates: ComposeCli[] = [
    { flavor: 'v2', argv: ['docker', 'compose'], version: '' },
    { flavor: 'v1', argv: ['docker-compose'], version: '' },
  ];
  for (const c of candidates) {
    try {
      const res = await runner.run({ cmd: c.argv[0], args: [...c.argv.slice(1), 'version', '--short'], check: false, timeoutMs: 15000 });
      if (res.exitCode === 0 && /\d+\.\d+/.test(res.stdout)) return { ...c, version: res.stdout.trim().replace(/^v/, '') };
    } catch {
      /* not installed: try the next one */
    }
  }
  return null;
}

/** The file v1 reads: the same YAML without the top-level `name:`. */
export function v1CompatibleText(text: string): string {
  const doc = parseDocument(text);
  doc.delete('name');
  return doc.toString();
}

export function v1FilePath(file: string): string {
  return join(dirname(file), `.devenv-v1.${basename(file)}`);
}

/** One Compose project through one Compose CLI: what the steps and commands use. */
export interface ComposeEngine {
  readonly cli: ComposeCli;
  readonly project: ComposeProject;
  argv(sub: string[]): string[];
  run(sub: string[], extra?: Partial<CommandSpec>): Promise<CommandResult>;
}

export class Compose implements ComposeEngine {
  constructor(
    readonly cli: ComposeCli,
    private readonly runner: CommandRunner,
    private readonly plan: Plan,
    readonly project: ComposeProject,
    /** The environment Compose runs in (devenv's own, from the context), under the project's. */
    private readonly baseEnv: Record<string, string | undefined> = {},
  ) {}

  argv(sub: string[]): string[] {
    const file = this.cli.flavor === 'v1' ? v1FilePath(this.project.file) : this.project.file;
    return [...this.cli.argv, '-p', this.project.name, '-f', file, ...sub];
  }

  private prepareV1(): void {
    if (this.cli.flavor !== 'v1') return;
    const target = v1FilePath(this.project.file);
    const content = v1CompatibleText(readFileSync(this.project.file, 'utf8'));
    this.plan.record({ kind: 'file', path: target, content: '(compose file without the top-level `name:` key, for docker-compose v1)', note: 'v1 compatibility copy' });
    if (!this.runner.dryRun) writeFileSync(target, content);
  }

  run(sub: string[], extra: Partial<CommandSpec> = {}): Promise<CommandResult> {
    this.prepareV1();
    const [cmd, ...args] = this.argv(sub);
    return this.runner.run({ cmd, args, env: { ...this.baseEnv, ...this.project.env }, missingHint: COMPOSE_MISSING_HINT, ...extra });
  }
}
