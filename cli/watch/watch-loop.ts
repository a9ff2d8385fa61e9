// The `devenv up --watch` loop, after a normal `up`: watch the node's
// sources, its image files and the Compose file / manifests; debounce a
// burst of writes into one change; per change take the fast path (new
// bundle into the running nodes), the full path (new image, node services
// recreated) and/or re-apply the topology; print the time from the file
// write to the webserver answering with the new build id. A change that
// fails (does not compile, or crashes on start) leaves the last good build
// running and says why. Abort (Ctrl-C) stops watching after the change in
// flight, so the environment is left running one consistent build.
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { AppContext } from '../context.ts';
import { fetchApiData } from '../adapters/node-api.ts';
import { watchDirs, type WatchedDir } from '../adapters/file-watch.ts';
import { pollUntil, done, waiting } from '../adapters/poll.ts';
import { DevenvError } from '../errors.ts';
import { apiBase } from '../k8s/node-api.ts';
import { buildIdOfBundle } from '../build/build-id.ts';
import { Debouncer, isEmptyBatch, planBatch, type ChangeBatch, type WatchLayout } from './changes.ts';
import { nodeBundler, type Bundle } from './bundle.ts';
import type { NodeInstance, WatchTarget } from './watch-target.ts';

export interface WatchDeps {
  app: AppContext;
  target: WatchTarget;
  layout: WatchLayout;
  /** Builds the node image from the current bundle; returns its ref (the "Build the node image" step). */
  buildImage: () => Promise<string>;
  signal: AbortSignal;
  /** One line per event, to the user. */
  print: (line: string) => void;
  quietMs?: number;
  /** How long the webserver may take to answer with a new build. */
  answerTimeoutMs?: number;
  /** Called after each change with its outcome (tests and the bench read these). */
  onOutcome?: (o: ChangeOutcome) => void;
}

export interface ChangeOutcome {
  n: number;
  path: 'fast' | 'full' | 'topology';
  ok: boolean;
  buildId: string | null;
  /** From the last file write of the burst to the webserver answering with the new build (or the topology applied). */
  ms: number | null;
  reason?: string;
  /** Where the time went, e.g. "bundle 0.31 s, reload 0.62 s". */
  breakdown?: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The build id the webserver's /api/health reports, or throws. */
async function webserverBuildId(app: AppContext): Promise<string | null> {
  const data = await fetchApiData<{ build_id?: string }>(`${apiBase({ app })}/api/health`, { timeoutMs: 2000 });
  return data.build_id ?? null;
}

async function waitForBuild(app: AppContext, id: string, timeoutMs: number, cancelled: () => boolean = () => false): Promise<boolean> {
  const res = await pollUntil(async () => {
    if (cancelled()) return done(false);
    const seen = await webserverBuildId(app);
    return seen === id ? done(true) : waiting(`the webserver answers with build ${seen}`);
  }, { timeoutMs, intervalMs: 50 });
  return res.done && res.value;
}

function lastWriteMs(paths: string[]): number {
  let t = 0;
  for (const p of paths) {
    try {
      t = Math.max(t, statSync(p).mtimeMs);
    } catch {
      t = Math.max(t, Date.now()); // deleted: the event is the write
    }
  }
  return t || Date.now();
}

export function watchedDirs(layout: WatchLayout): WatchedDir[] {
  const dirs: WatchedDir[] = [{ dir: layout.contextDir, recursive: true }];
  for (const f of [...layout.imageFiles, ...(layout.composeFile ? [layout.composeFile] : [])]) {
    const dir = join(f, '..');
    if (existsSync(dir) && !dir.startsWith(layout.contextDir)) dirs.push({ dir, recursive: false });
  }
  if (layout.manifestsDir) dirs.push({ dir: layout.manifestsDir, recursive: true });
  return dirs;
}

export async function runWatch(deps: WatchDeps): Promise<ChangeOutcome[]> {
  const { app, target, layout, print } = deps;
  const answerTimeoutMs = deps.answerTimeoutMs ?? 30_000;
  const rel = (p: string) => relative(app.cwd, p) || p;
  // The last good bundle (what the nodes run), kept outside dist/ so a broken
  // or crashing build can be replaced by it again.
  const keep = mkdtempSync(join(tmpdir(), 'devenv-watch-'));
  const keepBundle = (b: Bundle): Bundle => {
    const file = join(keep, `${b.buildId}.js`);
    copyFileSync(b.file, file);
    return { file, buildId: b.buildId };
  };
  const distBundle = join(layout.contextDir, 'dist/blockchain-node.js');
  const startId = buildIdOfBundle(distBundle);
  const running = await webserverBuildId(app).catch(() => null);
  let lastGood: Bundle | null = startId && running === startId ? keepBundle({ file: distBundle, buildId: startId }) : null;
  // A node image from before build ids (or one built elsewhere): the first node change takes the full path.
  let needsImage = !lastGood;
  const outcomes: ChangeOutcome[] = [];
  let n = 0;
  const bundler = await nodeBundler(layout.contextDir, app.cwd);

  const fastPath = async (batch: ChangeBatch, t0: number): Promise<ChangeOutcome> => {
    const id = ++n;
    const tb = Date.now();
    const bundle = await bundler.bundle();
    const nodes = await target.nodes();
    if (bundle.buildId === lastGood?.buildId) return { n: id, path: 'fast', ok: true, buildId: bundle.buildId, ms: null, reason: 'the bundle is unchanged' };
    const started = Date.now();
    // The clock stops when the webserver answers with the new build; the
    // change is done when every node runs it.
    let answeredAt = 0;
    let gaveUp = false;
    const answered = waitForBuild(app, bundle.buildId, answerTimeoutMs, () => gaveUp).then((ok) => (answeredAt = ok ? Date.now() : 0));
    // The webserver first (it is the one that answers), then the miners: on a
    // small machine, three nodes re-running at once share the CPU and the
    // webserver answers later.
    const reload = async (node: NodeInstance) => ({ node, res: await target.reload(node, bundle.file) });
    // A build that does not start on the webserver goes no further.
    const first = nodes.filter((x) => x.service.includes('webserver'));
    const results = await Promise.all(first.map(reload));
    if (results.every((r) => r.res.ok)) results.push(...(await Promise.all(nodes.filter((x) => !first.includes(x)).map(reload))));
    const reloaded = Date.now();
    const failed = results.filter((r) => !r.res.ok);
    if (!failed.length) await answered;
    if (!failed.length && answeredAt) {
      lastGood = keepBundle(bundle);
      const breakdown = `debounce ${seconds(tb - t0)}, bundle ${seconds(started - tb)}, webserver answering after ${seconds(answeredAt - started)}, all ${nodes.length} nodes after ${seconds(reloaded - started)}`;
      return { n: id, path: 'fast', ok: true, buildId: bundle.buildId, ms: answeredAt - t0, breakdown };
    }
    gaveUp = true;
    await answered;
    const why = await explainFailure(failed.map((f) => f.node), failed, started);
    await restoreLastGood(nodes);
    return { n: id, path: 'fast', ok: false, buildId: bundle.buildId, ms: null, reason: why };
  };

  const explainFailure = async (nodes: NodeInstance[], failed: Array<{ node: NodeInstance; res: { ok: boolean; why?: string } }>, since: number): Promise<string> => {
    const first = failed[0];
    if (!first) return `the webserver did not answer with the new build within ${seconds(answerTimeoutMs)}`;
    const logged = await target.crashReason(first.node, since).catch(() => null);
    return `${first.node.name}: ${logged ?? (first.res as { why: string }).why}${nodes.length > 1 ? ` (${nodes.length} of the node instances failed)` : ''}`;
  };

  // After a failed start: the runtime restarts a node that exited (Compose
  // with the last good bundle, Kubernetes with the image's code); every node
  // is given the last good bundle again (a no-op where it already runs).
  const restoreLastGood = async (nodes: NodeInstance[]) => {
    if (!lastGood) return target.waitNodesRunning(60_000);
    let why = '';
    for (let attempt = 1; attempt <= 3; attempt++) {
      await target.waitNodesRunning(60_000);
      const again = await target.nodes();
      const back = await Promise.all((again.length ? again : nodes).map((node) => target.reload(node, lastGood!.file)));
      const still = back.find((r) => !r.ok);
      if (!still && (await waitForBuild(app, lastGood.buildId, answerTimeoutMs))) return;
      why = still && !still.ok ? still.why : `the webserver does not answer with build ${lastGood.buildId}`;
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new DevenvError(`the last good build ${lastGood.buildId} could not be restored either: ${why}.`, { hint: 'run `devenv up` to recreate the node containers from the image.' });
  };

  const fullPath = async (batch: ChangeBatch, t0: number): Promise<ChangeOutcome> => {
    const id = ++n;
    const tb = Date.now();
    const bundle = await bundler.bundle();
    const before = target.imageRef;
    const tBuild = Date.now();
    const ref = await deps.buildImage();
    const nodes = await target.nodes();
    const started = Date.now();
    if (ref !== before) await target.rollOutImage(ref, nodes);
    const rolled = Date.now();
    if (await waitForBuild(app, bundle.buildId, answerTimeoutMs)) {
      lastGood = keepBundle(bundle);
      needsImage = false;
      const breakdown = `debounce ${seconds(tb - t0)}, bundle ${seconds(tBuild - tb)}, image ${seconds(started - tBuild)}, roll-out ${seconds(rolled - started)}, answer ${seconds(Date.now() - rolled)}`;
      return { n: id, path: 'full', ok: true, buildId: bundle.buildId, ms: Date.now() - t0, breakdown };
    }
    const newNodes = await target.nodes();
    const logged = newNodes[0] ? await target.crashReason(newNodes.find((x) => x.service.includes('webserver')) ?? newNodes[0], started).catch(() => null) : null;
    await target.rollOutImage(before, newNodes);
    await waitForBuild(app, lastGood?.buildId ?? '', answerTimeoutMs);
    return { n: id, path: 'full', ok: false, buildId: bundle.buildId, ms: null, reason: logged ?? `the webserver did not answer with build ${bundle.buildId} within ${seconds(answerTimeoutMs)}` };
  };

  const handle = async (paths: string[]) => {
    const batch = planBatch(paths, layout);
    if (isEmptyBatch(batch)) return;
    const t0 = lastWriteMs([...batch.source, ...batch.image, ...batch.compose, ...batch.manifests]);
    const changed = [...batch.image, ...batch.source, ...batch.compose, ...batch.manifests].map(rel);
    const shown = changed.length > 3 ? `${changed.slice(0, 3).join(', ')} and ${changed.length - 3} more` : changed.join(', ');
    const topology = [...batch.compose, ...batch.manifests];
    try {
      if (topology.length) {
        print(`${shown} changed: re-applying ${rel(topology[0])}`);
        const what = await target.applyTopology(topology);
        const o: ChangeOutcome = { n: ++n, path: 'topology', ok: true, buildId: null, ms: Date.now() - t0 };
        print(`  applied (${what}) ${seconds(o.ms!)} after the write`);
        outcomes.push(o);
        deps.onOutcome?.(o);
      }
      const nodePath = batch.nodePath === 'fast' && needsImage ? 'full' : batch.nodePath;
      if (nodePath) {
        print(`${shown} changed: ${nodePath === 'fast' ? 'fast path (new bundle into the running nodes)' : 'full path (new image, node services recreated)'}`);
        const o = nodePath === 'fast' ? await fastPath(batch, t0) : await fullPath(batch, t0);
        if (o.ok && o.ms !== null) print(`  build ${o.buildId} answering ${seconds(o.ms)} after the write${o.breakdown ? ` (${o.breakdown})` : ''}`);
        else if (o.ok) print(`  ${o.reason}: nothing to do`);
        else print(`  build ${o.buildId} did not start: ${o.reason}. Build ${lastGood?.buildId ?? '(the image\'s)'} keeps running.`);
        outcomes.push(o);
        deps.onOutcome?.(o);
      }
    } catch (err) {
      const e = err instanceof DevenvError ? err : new DevenvError((err as Error)?.message ?? String(err), { cause: err });
      const o: ChangeOutcome = { n: ++n, path: batch.nodePath === 'full' || needsImage ? 'full' : batch.nodePath === 'fast' ? 'fast' : 'topology', ok: false, buildId: null, ms: null, reason: e.toParagraph() };
      print(`  ${app.redactor.redact(e.toParagraph())}${e.details ? `\n${app.redactor.redact(e.details)}` : ''}`);
      print(`  Build ${lastGood?.buildId ?? '(the image\'s)'} keeps running.`);
      outcomes.push(o);
      deps.onOutcome?.(o);
    }
  };

  // One change at a time; writes during a change queue up as the next batch.
  let queue: Promise<void> = Promise.resolve();
  const pending = new Set<string>();
  const debouncer = new Debouncer(deps.quietMs ?? 150, (paths) => {
    for (const p of paths) pending.add(p);
    queue = queue.then(async () => {
      if (!pending.size) return;
      const batch = [...pending];
      pending.clear();
      await handle(batch);
    });
  });
  const watch = watchDirs(watchedDirs(layout), (p) => debouncer.add(p), (err) => print(`watch error: ${err.message}`));
  print(`Watching ${rel(layout.contextDir)}${layout.composeFile ? `, ${rel(layout.composeFile)}` : ''}${layout.manifestsDir ? `, ${rel(layout.manifestsDir)}` : ''} (build ${lastGood?.buildId ?? 'unknown: the first change builds a new image'}); Ctrl-C stops watching and leaves ${target.description} running.`);
  try {
    await new Promise<void>((resolve) => {
      if (deps.signal.aborted) return resolve();
      deps.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  } finally {
    watch.close();
    debouncer.cancel();
    pending.clear();
    // The change in flight completes, so every node runs the same build.
    await queue;
    await bundler.dispose();
    rmSync(keep, { recursive: true, force: true });
  }
  return outcomes;
}
