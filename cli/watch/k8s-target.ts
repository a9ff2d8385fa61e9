// `devenv up --k8s --watch`. The bundle goes in with `kubectl exec -i <pod>
// -- blockchain-node reload`: the node re-runs itself in PID 1, because a
// restarted container starts from the image again and a file copied into
// the old one would be gone (images/blockchain-node/src/live/live-reload.ts).
// A new image is `kind load`ed and applied: only the objects whose rendered
// form changed are applied (the node workloads, whose image changed), then
// the rollouts are awaited. A manifest change is rendered and checked the
// same way, and again only the changed objects are applied.
import { PHASE_ORDER, toYamlStream } from '../k8s/apply-phases.ts';
import { imagePins } from '../k8s/images.ts';
import { objectRef, replaceImages, type K8sObject } from '../manifests/objects.ts';
import { pollUntil, done, waiting } from '../adapters/poll.ts';
import { DevenvError } from '../errors.ts';
import type { K8sContext } from '../pipelines/k8s-context.ts';
import type { BuiltImage } from '../pipelines/pipeline-context.ts';
import { k8sRenderStep } from '../pipelines/steps/k8s-render.step.ts';
import { k8sLoadImageStep } from '../pipelines/steps/k8s-load-image.step.ts';
import { k8sRolloutStep } from '../pipelines/steps/k8s-rollout.step.ts';
import type { NodeInstance, ReloadOutcome, WatchTarget } from './watch-target.ts';
import { errorLines } from './node-logs.ts';

const NODE_SELECTOR = 'app.kubernetes.io/name=blockchain-node';
const CONTAINER = 'blockchain-node';

interface PodState {
  name: string;
  service: string;
  ready: boolean;
  deleting: boolean;
}

/** Every object the apply phases hold (what devenv applies). */
const phaseObjects = (ctx: K8sContext): K8sObject[] => (ctx.rendered?.phases ?? []).flatMap((p) => p.objects);

/** The objects as devenv applies them (images pinned), by ref: what "changed" is measured on. */
export function appliedForms(objects: K8sObject[], pins: Record<string, string>): Map<string, string> {
  return new Map(replaceImages(objects, pins).map((o) => [objectRef(o), JSON.stringify(o)]));
}

/** The refs whose applied form differs from the last one (new objects included). */
export function changedRefs(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([ref, form]) => before.get(ref) !== form).map(([ref]) => ref);
}

export class K8sWatchTarget implements WatchTarget {
  readonly description: string;
  private applied: Map<string, string>;
  private readonly io: { report: (line: string) => void };
  private readonly images = new Map<string, BuiltImage>();

  constructor(
    private readonly ctx: K8sContext,
    public imageRef: string,
  ) {
    this.description = ctx.target.description;
    this.applied = appliedForms(phaseObjects(ctx), imagePins(ctx));
    this.io = { report: (line) => ctx.app.output.debug(line) };
    if (ctx.image) this.images.set(ctx.image.ref, ctx.image);
  }

  private async pods(): Promise<PodState[]> {
    const list = await this.ctx.kubectl.getJson('pods', this.ctx.namespace, { selector: NODE_SELECTOR, check: false });
    return (list?.items ?? [])
      .map((p: any) => ({
        name: String(p.metadata?.name),
        service: String(p.metadata?.labels?.app ?? p.metadata?.labels?.['app.kubernetes.io/component'] ?? ''),
        ready: (p.status?.containerStatuses ?? []).some((c: any) => c.name === CONTAINER && c.ready && c.state?.running),
        deleting: Boolean(p.metadata?.deletionTimestamp),
      }))
      .filter((p: PodState) => !p.deleting && p.service)
      .sort((a: PodState, b: PodState) => a.name.localeCompare(b.name));
  }

  async nodes(): Promise<NodeInstance[]> {
    return (await this.pods()).filter((p) => p.ready).map(({ name, service }) => ({ name, service }));
  }

  async reload(node: NodeInstance, bundleFile: string): Promise<ReloadOutcome> {
    const res = await this.ctx.kubectl.run(['exec', '-i', '-n', this.ctx.namespace, node.name, '-c', CONTAINER, '--', 'blockchain-node', 'reload'], { inputFile: bundleFile, check: false, timeoutMs: 60_000, note: `new bundle into ${node.name}` });
    if (res.exitCode === 0) return { ok: true };
    const said = `${res.stderr}\n${res.stdout}`.trim().split('\n').filter(Boolean).pop();
    return { ok: false, why: said ? said.replace(/^reload: /, '') : `the node exited (kubectl exec ended with ${res.exitCode})` };
  }

  async waitNodesRunning(timeoutMs: number): Promise<void> {
    const res = await pollUntil(async () => {
      const pods = await this.pods();
      const down = pods.filter((p) => !p.ready);
      return pods.length && !down.length ? done(true) : waiting(`not ready: ${down.map((p) => p.name).join(', ') || 'no node pod'}`);
    }, { timeoutMs, intervalMs: 500 });
    if (!res.done) throw new DevenvError(`the node pods were not ready again within ${Math.round(timeoutMs / 1000)} s: ${res.last}.`, { hint: 'run `devenv status --k8s` and `devenv logs --k8s` to see why.' });
  }

  async crashReason(node: NodeInstance, _sinceMs: number): Promise<string | null> {
    // The container that crashed is the previous one when the kubelet restarted it already.
    for (const previous of [true, false]) {
      const res = await this.ctx.kubectl.logs({ pod: node.name, namespace: this.ctx.namespace, container: CONTAINER, tail: 50, previous });
      const found = errorLines(`${res.stdout}`);
      if (res.exitCode === 0 && found) return found;
    }
    return null;
  }

  /** Applies the rendered objects whose applied form changed; returns their refs. */
  private async applyChanged(): Promise<string[]> {
    const after = appliedForms(phaseObjects(this.ctx), imagePins(this.ctx));
    const changed = new Set(changedRefs(this.applied, after));
    const refs: string[] = [];
    for (const id of PHASE_ORDER) {
      const objects = replaceImages(this.ctx.rendered?.phases.find((p) => p.id === id)?.objects ?? [], imagePins(this.ctx)).filter((o) => changed.has(objectRef(o)));
      if (!objects.length) continue;
      await this.ctx.kubectl.applyYaml(toYamlStream(objects), objects.map(objectRef).join(', '));
      refs.push(...objects.map(objectRef));
    }
    this.applied = after;
    if (refs.length) await k8sRolloutStep.run(this.ctx, this.io);
    return refs;
  }

  async rollOutImage(ref: string): Promise<void> {
    // The image to pin: the one the build step just made, or an earlier one (rolling back).
    const known = this.images.get(ref);
    if (known) this.ctx.image = known;
    if (this.ctx.image) this.images.set(this.ctx.image.ref, this.ctx.image);
    await k8sLoadImageStep.run(this.ctx, this.io);
    await this.applyChanged();
    this.imageRef = ref;
  }

  async applyTopology(_files: string[]): Promise<string> {
    // Bad YAML, a broken reference or a broken config file stop here, with file and line, before anything is applied.
    await k8sRenderStep.run(this.ctx, this.io);
    const before = new Set(this.applied.keys());
    const refs = await this.applyChanged();
    // Removing an object from the manifests does not delete it (no pruning): say so.
    const gone = [...before].filter((r) => !this.applied.has(r));
    if (gone.length) this.ctx.app.output.warn(`no longer in the manifests, left in the cluster: ${gone.join(', ')} (\`devenv down --k8s\` then \`up --k8s\` removes them)`);
    return refs.length ? `applied ${refs.join(', ')}` : 'no object changed';
  }
}
