// Shared by the migrate-check tests: copy a fixture folder into a temporary
// directory with edits, run the check (files as written, or rendered by the
// real `kubectl kustomize` through the adapter), find lines by their text.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecaRunner } from '../../cli/adapters/exec.ts';
import { renderKustomization } from '../../cli/adapters/kustomize.ts';
import { Plan } from '../../cli/plan.ts';
import { Redactor } from '../../cli/redact.ts';
import { migrateCheck, type MigrateCheckInput, type Report, type ReportFinding } from '../../cli/topology/migrate-check.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(ROOT, 'test/fixtures/migrate-check');

const created: string[] = [];
process.on('exit', () => {
  for (const d of created) rmSync(d, { recursive: true, force: true });
});

/** A temporary directory removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export interface Edit {
  file: string;
  find?: string;
  replace?: string;
  /** Write the whole file (a new file, or appended text with `append`). */
  write?: string;
  append?: string;
}

/** A fresh copy of a fixture with edits applied; every `find` must be present. */
export function materialize(fixture: string, edits: Edit[] = []): string {
  const dir = tempDir(`mc-${fixture.replace(/\//g, '-')}-`);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  for (const e of edits) {
    const path = join(dir, e.file);
    if (e.write !== undefined) {
      writeFileSync(path, e.write);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    if (e.append !== undefined) {
      writeFileSync(path, text + e.append);
      continue;
    }
    if (!text.includes(e.find!)) throw new Error(`fixture edit: ${e.file} does not contain ${JSON.stringify(e.find)}`);
    writeFileSync(path, text.replace(e.find!, e.replace ?? ''));
  }
  return dir;
}

/** 1-based line of the first line containing `text` (after `after`, when given). */
export function lineOf(dir: string, file: string, text: string, after?: string): number {
  const lines = readFileSync(join(dir, file), 'utf8').split('\n');
  const start = after ? lines.findIndex((l) => l.includes(after)) : 0;
  if (start < 0) throw new Error(`${file} has no line containing ${JSON.stringify(after)}`);
  const i = lines.findIndex((l, n) => n >= start && l.includes(text));
  if (i < 0) throw new Error(`${file} has no line containing ${JSON.stringify(text)}`);
  return i + 1;
}

export const kubectlAvailable = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

export function kubectlRenderer() {
  const redactor = new Redactor({});
  const runner = new ExecaRunner(new Plan(redactor), redactor, false);
  return async (dir: string) => renderKustomization(runner, dir);
}

export async function check(dir: string, opts: Partial<MigrateCheckInput> & { kubectl?: boolean } = {}): Promise<Report> {
  return migrateCheck({
    cwd: dir,
    composeFiles: ['compose/docker-compose.yml'],
    environment: {},
    manifests: ['manifests'],
    namespace: 'chain',
    accept: null,
    ...opts,
    render: opts.kubectl ? kubectlRenderer() : opts.render,
  });
}

export function unaccepted(report: Report): ReportFinding[] {
  return report.findings.filter((f) => !f.accepted && (f.severity === 'error' || f.severity === 'warn'));
}

export function summarize(fs: ReportFinding[]): string {
  return fs.map((f) => `${f.severity} ${f.rule} ${f.service} ${f.subject}: ${f.message} [${f.compose?.location?.file}:${f.compose?.location?.line} | ${f.kubernetes?.location?.file}:${f.kubernetes?.location?.line}]`).join('\n');
}

/** Runs bin/devenv.js (npm test builds dist/ first). */
export function devenv(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}) {
  if (!existsSync(join(ROOT, 'dist/devenv.js'))) throw new Error('dist/devenv.js is missing: run `npm run build` first');
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/devenv.js'), ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export { dirname };

/** A throwaway pair from strings: compose/docker-compose.yml and manifests/all.yaml (plus extra files). */
export async function pairFromText(compose: string, manifests: string, files: Record<string, string> = {}, opts: Partial<MigrateCheckInput> = {}): Promise<Report> {
  const dir = tempDir('mc-text-');
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  write('compose/docker-compose.yml', compose);
  write('manifests/all.yaml', manifests);
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return check(dir, opts);
}

/** "severity rule service subject" of every finding a rule produced. */
export function ruleFindings(r: Report, rule: string): string[] {
  return r.findings.filter((f) => f.rule === rule).map((f) => `${f.severity} ${f.service} ${f.subject}`);
}
