// Builds the AppContext and K8sContext of the Kubernetes tests: a temporary
// root holding a copy of manifests/ (so generated files never land in the
// repository), a fake Docker, a fake kind resolver, and captured output.
import { parseAllDocuments } from 'yaml';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandRunner } from '../../cli/adapters/exec.ts';
import { ExecaRunner } from '../../cli/adapters/exec.ts';
import { defaultConfig } from '../../cli/config.ts';
import type { AppContext } from '../../cli/context.ts';
import { Output } from '../../cli/output.ts';

/** The main apply of `up --k8s`: server-side, and printing what the record of the apply keeps (cli/k8s/apply-record.ts). */
/** The warm `up --k8s`'s one look at the cluster: the objects of the last apply. */
export const RECORDED_GET = ['get', '-f', '-', '--ignore-not-found', '--show-managed-fields', '-o', 'json'];

export const RECORDED_APPLY = ['apply', '--server-side', '--field-manager=devenv', '--force-conflicts', '-f', '-', '--show-managed-fields', '-o', 'json'];
import { Plan } from '../../cli/plan.ts';
import { Redactor } from '../../cli/redact.ts';
import type { K8sDeps } from '../../cli/pipelines/k8s-context.ts';
import { FakeDocker, type FakeDockerOptions } from '../helpers/fake-docker.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface TestApp {
  app: AppContext;
  stdout: string[];
  stderr: string[];
  root: string;
  cleanup(): void;
}

/** An AppContext over a temp copy of manifests/ (root = cwd = the temp dir). */
export function testApp(opts: { dryRun?: boolean; env?: Record<string, string>; runner?: (plan: Plan, redactor: Redactor) => CommandRunner } = {}): TestApp {
  const root = mkdtempSync(join(tmpdir(), 'devenv-k8s-'));
  cpSync(join(repoRoot, 'manifests'), join(root, 'manifests'), { recursive: true, filter: (src) => !src.endsWith('secrets.env') });
  const env = { ...opts.env };
  const redactor = new Redactor(env);
  const plan = new Plan(redactor);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const output = new Output('json', redactor, false, { write: (s: string) => stdout.push(s) }, { write: (s: string) => stderr.push(s) });
  const runner = opts.runner ? opts.runner(plan, redactor) : new ExecaRunner(plan, redactor, opts.dryRun ?? false);
  const app: AppContext = { args: { dryRun: opts.dryRun ?? false, json: true, verbose: false }, cwd: root, env, config: defaultConfig(root), redactor, plan, runner, output };
  return { app, stdout, stderr, root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A Docker stand-in: `images` maps refs to IDs; `down` makes ping fail like a dead daemon. */
export function fakeDocker(opts: FakeDockerOptions = {}): FakeDocker {
  // No containers on this fake host unless a test says so (no Compose network, no kind node).
  return new FakeDocker({ containers: [], ...opts });
}

/** fetch answering GET /api/v1/blockchain with each height in turn (the last one repeats). */
export function fakeHeights(list: number[]): typeof fetch {
  let i = 0;
  return async () => new Response(JSON.stringify({ success: true, data: { height: list[Math.min(i++, list.length - 1)] } }), { status: 200 });
}

export function fakeDeps(over: Partial<K8sDeps> = {}): Partial<K8sDeps> {
  return {
    resolveKind: async () => '/usr/local/bin/kind',
    sleep: async () => {},
    portState: async (port) => ({ port, free: true }),
    fetch: fakeHeights([3]),
    ...over,
  };
}

export function jsonEvents(lines: string[]): any[] {
  return lines.flatMap((l) => l.split('\n')).filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l));
}

/** The objects a `kubectl apply -f -` was given: a JSON List (the manifests) or a YAML stream (the addon). */
export function appliedObjects(input: string | undefined): any[] {
  const text = input ?? '';
  if (text.trimStart().startsWith('{')) {
    const v = JSON.parse(text);
    return v.kind === 'List' ? v.items : [v];
  }
  return parseAllDocuments(text).map((d) => d.toJS());
}
