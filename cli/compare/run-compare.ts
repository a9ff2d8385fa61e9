// `devenv compare`, start to end: the files' view (migrate-check: pairings,
// the peer graph, the accept file), both sides up (unless --no-up), the same
// probes on each side at once, the rows, the verdict.
import type { AppContext } from '../context.ts';
import { configPath } from '../config.ts';
import type { CheckedTopologies } from '../topology/migrate-check.ts';
import { compareRows, expectedPeers, type SideObservation } from './observations.ts';
import { probeApi, probeChain, probePersistence, probeRateLimit, probeRestart, type ProbeDeps } from './probes.ts';
import { acceptRows, summarize, type CompareRow, type CompareSummary } from './rows.ts';
import { composeSide, kubernetesSide, type CompareSide, type SideLifecycle } from './sides.ts';

export interface CompareOptions {
  up: boolean;
  /** Checks to leave out (restart, persistence: they stop things). */
  skip: string[];
  /** Seconds each side's chain is watched (at most). */
  chainSeconds: number;
  /** Requests in the rate-limit burst. */
  burst: number;
}

export interface CompareResult {
  rows: CompareRow[];
  summary: CompareSummary;
  sides: { compose: { label: string; api: string }; kubernetes: { label: string; api: string } };
  checked: CheckedTopologies;
  seconds: number;
}

async function observe(side: CompareSide, deps: ProbeDeps, opts: CompareOptions, log: (line: string) => void): Promise<SideObservation> {
  const attempt = async <T>(what: string, f: () => Promise<T>): Promise<T | Error> => {
    log(`${side.side}: ${what}`);
    try {
      return await f();
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  };
  // Order matters: the burst that draws 429s comes last, so the other probes' requests are not refused.
  const nodes = await attempt('nodes report themselves', () => side.nodes());
  const api = await attempt('API contract', () => probeApi(deps, side.apiBase, side.keys));
  const chain = await attempt('chain', () => probeChain(deps, side.apiBase, () => side.nodes(), opts.chainSeconds));
  const restart = opts.skip.includes('restart') ? undefined : await attempt('restart one miner', () => probeRestart(deps, () => side.nodes(), side, 90));
  const persistence = opts.skip.includes('persistence') ? undefined : await attempt('down and up', () => probePersistence(deps, side.apiBase, side));
  const rateLimit = await attempt('rate limit', () => probeRateLimit(deps, side.apiBase, opts.burst));
  return { nodes, api, chain, rateLimit, restart, persistence };
}

/** life: how each side is brought up and down (the commands' own functions, given by cli/commands/compare.ts). */
export async function runCompare(app: AppContext, checked: CheckedTopologies, opts: CompareOptions, deps: ProbeDeps, life: { compose: SideLifecycle; kubernetes: SideLifecycle }): Promise<CompareResult> {
  const t0 = deps.now();
  if (opts.up) {
    // Compose first: a kind cluster created now takes the side-by-side ports (cli/k8s/kind-ports.ts).
    app.output.info('compare: bringing up Compose (devenv up)');
    await life.compose.up();
    app.output.info('compare: bringing up Kubernetes (devenv up --k8s)');
    await life.kubernetes.up();
  }
  const compose = await composeSide(app, life.compose, checked.report.pairings);
  const kubernetes = await kubernetesSide(app, life.kubernetes, checked.report.pairings);
  const log = (line: string) => app.output.info(`compare: ${line}`);
  const [c, k] = await Promise.all([observe(compose, deps, opts, log), observe(kubernetes, deps, opts, log)]);
  const nodes = Array.isArray(c.nodes) ? c.nodes : [];
  const api = nodes.find((n) => n.role === 'webserver')?.logical ?? 'webserver';
  const rows = acceptRows(compareRows(c, k, { api, expectedPeers: expectedPeers(checked.report) }), checked.runtimeAcceptances);
  return {
    rows,
    summary: summarize(rows),
    sides: { compose: { label: compose.label, api: compose.apiBase }, kubernetes: { label: kubernetes.label, api: kubernetes.apiBase } },
    checked,
    seconds: (deps.now() - t0) / 1000,
  };
}

/** The files' view compare starts from: migrate-check on devenv.yaml's Compose file and manifests. */
export async function checkFiles(app: AppContext, accept?: string): Promise<CheckedTopologies> {
  const { renderKustomization } = await import('../adapters/kustomize.ts');
  const { migrateCheckWithTopologies } = await import('../topology/migrate-check.ts');
  const cfg = app.config;
  return migrateCheckWithTopologies({
    cwd: app.cwd,
    root: cfg.root,
    composeFiles: [configPath(cfg, cfg.compose.file)],
    environment: app.env,
    manifests: [configPath(cfg, cfg.manifests)],
    accept,
    render: async (dir) => (await renderKustomization(app.runner, dir)) || null,
  });
}
