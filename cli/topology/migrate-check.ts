// migrate-check as one function: load both sides, pair them, run every rule,
// apply the accepted differences, and return the report (the JSON schema in
// docs/migrate-check.md). No process and no socket: rendering a kustomization
// is an injected function, reading the given files is the only I/O.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ExitCode, type Location } from '../errors.ts';
import { timed } from '../timing.ts';
import { applyAcceptances, readAcceptFile, RUNTIME_RULE_IDS, type Acceptance } from './accept.ts';
import { loadCompose, type ComposeTopology } from './compose.loader.ts';
import { findingId, SEVERITY_ORDER, type Finding } from './finding.ts';
import { loadKubernetes, type KubernetesTopology } from './kubernetes.loader.ts';
import type { KustomizeRenderer } from '../manifests/render.ts';
import { pairServices, readMappingFile } from './pairing.ts';
import { buildContext } from './rule.ts';
import { RULE_IDS, RULES } from './rules/index.ts';
import { peerGraph, type PeerEdge } from './rules/peers.rule.ts';

export const SCHEMA_VERSION = 1;
export const DEFAULT_ACCEPT_FILE = 'migrate-check.accept.yaml';

export interface MigrateCheckInput {
  cwd: string;
  composeFiles: string[];
  envFile?: string;
  environment: Record<string, string | undefined>;
  profiles?: string[];
  manifests: string[];
  /** Namespace of objects that name none where no kustomization sets one (`--namespace`); default `default`, as kubectl apply. */
  namespace?: string;
  mapping?: string;
  /** An accept file; undefined: the default one when present; null: none. */
  accept?: string | null;
  /** Where the default accept file is looked for. */
  root?: string;
  render?: KustomizeRenderer;
}

export interface ReportFinding extends Omit<Finding, 'accepted' | 'location'> {
  id: string;
  location: Location | null;
  accepted: { reason: string; location: Location } | null;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  inputs: { compose: string[]; envFile: string | null; manifests: string[]; render: 'kubectl-kustomize' | 'files'; namespace: string; mapping: string | null; accept: string | null };
  pairings: Array<{ compose: string; kubernetes: { kind: string; name: string; ordinal: number | null }; via: string; composeLocation: Location; kubernetesLocation: Location }>;
  unpaired: { compose: Array<{ name: string; location: Location }>; kubernetes: Array<{ kind: string; name: string; location: Location }> };
  findings: ReportFinding[];
  peers: { compose: PeerEdge[]; kubernetes: PeerEdge[] };
  summary: { error: number; warn: number; info: number; accepted: number; unaccepted: { error: number; warn: number }; exitCode: typeof ExitCode.ok | typeof ExitCode.drift };
}

export async function migrateCheck(input: MigrateCheckInput): Promise<Report> {
  return (await migrateCheckWithTopologies(input)).report;
}

/** The report and the two topologies it was computed from (what the HTML page draws). */
export interface CheckedTopologies {
  report: Report;
  /** The accept file's entries for `devenv compare`'s run-time rows. */
  runtimeAcceptances: Acceptance[];
  compose: ComposeTopology;
  kubernetes: KubernetesTopology;
}

export async function migrateCheckWithTopologies(input: MigrateCheckInput): Promise<CheckedTopologies> {
  const rel = (p: string) => {
    const r = relative(input.cwd, resolve(input.cwd, p));
    return r.startsWith('..') ? resolve(input.cwd, p) : r || '.';
  };
  // The manifests first: their render (`kubectl kustomize`, a child process) runs while the Compose
  // side loads. A Compose error still comes first, as when the two loaded one after the other.
  const loadingKubernetes = loadKubernetes({ manifests: input.manifests, cwd: input.cwd, defaultNamespace: input.namespace, render: input.render });
  loadingKubernetes.catch(() => undefined);
  const compose = loadCompose({ files: input.composeFiles, envFile: input.envFile, environment: input.environment, profiles: input.profiles, cwd: input.cwd });
  const kubernetes = await loadingKubernetes;
  const mapping = input.mapping ? readMappingFile(resolve(input.cwd, input.mapping), input.cwd) : null;
  const pairing = pairServices(compose.workloads, kubernetes.workloads, mapping, kubernetes.sidecars);
  const ctx = buildContext(compose, kubernetes, pairing);

  let acceptPath: string | null = null;
  if (input.accept) acceptPath = resolve(input.cwd, input.accept);
  else if (input.accept === undefined) {
    const dflt = resolve(input.root ?? input.cwd, DEFAULT_ACCEPT_FILE);
    if (existsSync(dflt)) acceptPath = dflt;
  }
  // Runtime rules are devenv compare's; migrate-check keeps its own.
  const allAcceptances = acceptPath ? readAcceptFile(acceptPath, input.cwd, [...RULE_IDS, ...RUNTIME_RULE_IDS]) : [];
  const acceptances = allAcceptances.filter((a) => !RUNTIME_RULE_IDS.includes(a.rule));

  const raw = timed('rules', () => RULES.flatMap((r) => r.check(ctx)));
  const aliases = new Map(ctx.groups.map((g) => [g.name, g.pairs.map((p) => p.compose.name)]));
  const findings = applyAcceptances(raw, acceptances, aliases);

  const groupOrder = [...ctx.groups.map((g) => g.name), ...pairing.unpairedCompose.map((c) => c.name), ...pairing.unpairedKubernetes.map((w) => w.name)];
  const ruleOrder = [...RULE_IDS, 'acceptance'];
  const rank = (f: Finding) => {
    const i = groupOrder.indexOf(f.service);
    return i < 0 ? groupOrder.length : i;
  };
  findings.sort((a, b) => rank(a) - rank(b) || a.service.localeCompare(b.service) || SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || ruleOrder.indexOf(a.rule) - ruleOrder.indexOf(b.rule) || a.subject.localeCompare(b.subject));

  const count = (pred: (f: Finding) => boolean) => findings.filter(pred).length;
  const unaccepted = { error: count((f) => f.severity === 'error' && !f.accepted), warn: count((f) => f.severity === 'warn' && !f.accepted) };
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    inputs: {
      compose: input.composeFiles.map(rel),
      envFile: compose.envFile,
      manifests: input.manifests.map(rel),
      render: kubernetes.render ?? 'files',
      namespace: kubernetes.namespace,
      mapping: input.mapping ? rel(input.mapping) : null,
      accept: acceptPath ? rel(acceptPath) : null,
    },
    pairings: pairing.pairs.map((p) => ({
      compose: p.compose.name,
      kubernetes: { kind: p.workload.kind, name: p.workload.name, ordinal: p.ordinal },
      via: p.via,
      composeLocation: p.compose.loc,
      kubernetesLocation: p.workload.loc,
    })),
    unpaired: {
      compose: pairing.unpairedCompose.map((c) => ({ name: c.name, location: c.loc })),
      kubernetes: pairing.unpairedKubernetes.map((w) => ({ kind: w.kind, name: w.name, location: w.loc })),
    },
    findings: findings.map((f) => ({
      id: findingId(f),
      rule: f.rule,
      severity: f.severity,
      service: f.service,
      subject: f.subject,
      message: f.message,
      compose: f.compose,
      kubernetes: f.kubernetes,
      location: f.location ?? null,
      fix: f.fix,
      accepted: f.accepted ?? null,
    })),
    peers: peerGraph(ctx),
    summary: {
      error: count((f) => f.severity === 'error'),
      warn: count((f) => f.severity === 'warn'),
      info: count((f) => f.severity === 'info'),
      accepted: count((f) => Boolean(f.accepted)),
      unaccepted,
      exitCode: unaccepted.error + unaccepted.warn > 0 ? ExitCode.drift : ExitCode.ok,
    },
  };
  return { report, compose, kubernetes, runtimeAcceptances: allAcceptances.filter((a) => RUNTIME_RULE_IDS.includes(a.rule)) };
}
