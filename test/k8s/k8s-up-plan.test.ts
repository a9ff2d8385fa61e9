// `up --k8s --dry-run` as a plan: the exact ordered list of command lines
// (kind's as kind documents them), the generated kind config, the apply
// phases and the waits, with nothing executed (ExecaRunner in dry-run mode
// records and never spawns); and the plans of `down --k8s` (data kept),
// `--volumes` and `--cluster`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createK8sContext, defaultK8sDeps } from '../../cli/pipelines/k8s-context.ts';
import { k8sDownPipeline } from '../../cli/pipelines/k8s-down.pipeline.ts';
import { k8sUpPipeline } from '../../cli/pipelines/k8s-up.pipeline.ts';
import { runPipeline, stepNames } from '../../cli/pipelines/pipeline.ts';
import type { PlanEntry } from '../../cli/plan.ts';
import { appliedObjects, fakeDeps, fakeDocker, testApp } from './helpers.ts';

const TAG = 'blockchain-node:0123456789ab';
const fakeBuild = { name: 'Build the node image', run: (ctx: any) => { ctx.image = { ref: TAG, id: null, built: true, hash: '0123456789ab', external: false }; } };

// Under --dry-run devenv resolves nothing: the plan names `kind` (or $KIND).
const dryDeps = fakeDeps({ resolveKind: defaultK8sDeps.resolveKind });

const line = (e: PlanEntry) => (e.kind === 'exec' ? e.argv.join(' ') : e.kind === 'file' ? `write ${e.path}` : e.kind === 'wait' ? `wait ${e.what} (${e.timeoutSeconds}s)` : `docker-api ${e.call}`);

async function dryRunUp() {
  const t = testApp({ dryRun: true });
  const ctx = createK8sContext(t.app, { base: { app: t.app, docker: fakeDocker() }, deps: dryDeps });
  await runPipeline(k8sUpPipeline({ buildSteps: [fakeBuild] }), ctx, t.app.output);
  return { t, ctx, entries: t.app.plan.entries };
}

test('the up --k8s pipeline: step names in order', () => {
  assert.equal(stepNames(k8sUpPipeline({ buildSteps: [fakeBuild] })), [
    'Preflight: Docker daemon, kind, kubectl, host ports',
    'Development API keys',
    'Render and check the manifests',
    'Build the node image',
    'Create the kind cluster',
    'Compare the cluster with the last up',
    'Install metrics-server',
    'Load the node image into kind',
    'Preload the other images into kind',
    'Apply the manifests (one server-side apply, in dependency order)',
    'Wait for the rollouts',
    'Wait for the Metrics API',
    'Smoke check: the API answers and the chain grows',
    'Record what was applied',
  ]);
});

test('up --k8s --dry-run: the exact ordered plan, nothing written', async () => {
  const { t, entries } = await dryRunUp();
  try {
    const root = t.root;
    const lines = entries.map(line);
    const kindFile = join(root, '.devenv/kind-devenv.yaml');
    const ctxArgs = '--context kind-devenv';
    const apply = `kubectl ${ctxArgs} apply --server-side --field-manager=devenv --force-conflicts -f -`;
    // Before the concurrent group: strictly ordered.
    const head = lines.slice(0, 6);
    assert.equal(head[0], 'kubectl version --client -o json');
    assert.equal(head[1], 'kind get clusters');
    assert.equal(head[2], 'write manifests/secrets.env');
    assert.ok(head[3].startsWith('kubectl kustomize'), head[3]);
    assert.ok(head[3].includes(join(root, 'manifests')), head[3]);
    assert.equal(head[4], 'write .devenv/kind-devenv.yaml');
    assert.equal(head[5], `kind create cluster --name devenv --config ${kindFile} --wait 120s`);
    // The concurrent group: each step's own commands in order; steps interleave.
    // The tail after the group is fixed: one apply (every phase, in order), three rollouts, the Metrics API, the smoke wait.
    const groupEnd = lines.length - 7;
    const group = lines.slice(6, groupEnd);
    const metricsImage = 'registry.k8s.io/metrics-server/metrics-server:v0.8.0';
    // metrics-server's image goes into the node before metrics-server is applied.
    const metrics = [`docker exec devenv-control-plane crictl inspecti ${metricsImage}`, `kind load docker-image ${metricsImage} --name devenv`, apply];
    const load = [`docker exec devenv-control-plane crictl inspecti ${TAG}`, `kind load docker-image ${TAG} --name devenv`];
    const preload = [`docker exec devenv-control-plane crictl inspecti redis:7-alpine`, `kind load docker-image redis:7-alpine --name devenv`];
    assert.equal(group.length, metrics.length + load.length + preload.length, group.join('\n'));
    for (const seq of [metrics, load, preload]) assert.equal(group.filter((l) => seq.includes(l)), seq);
    // After it: the one apply (printing what the record keeps), the rollouts (started together, in apply order), the smoke wait.
    assert.equal(lines.slice(groupEnd), [
      `${apply} --show-managed-fields -o json`,
      `kubectl ${ctxArgs} rollout status deployment/redis -n blockchain --timeout=300s`,
      `kubectl ${ctxArgs} rollout status statefulset/miner -n blockchain --timeout=300s`,
      `kubectl ${ctxArgs} rollout status statefulset/webserver -n blockchain --timeout=300s`,
      'wait the Metrics API answers `kubectl top nodes` (180s)',
      `kubectl ${ctxArgs} top nodes`,
      'wait GET http://127.0.0.1:8080/api/v1/blockchain answers with height > 0 (180s)',
    ]);
    // Dry run: nothing on disk.
    assert.not.ok(existsSync(kindFile), 'kind config must not be written under --dry-run');
    assert.not.ok(existsSync(join(root, 'manifests/secrets.env')), 'secrets.env must not be written under --dry-run');
  } finally {
    t.cleanup();
  }
});

test('dry-run plan: the kind config publishes the NodePorts on 127.0.0.1:8080 and :2101', async () => {
  const { t, entries } = await dryRunUp();
  try {
    const file = entries.find((e) => e.kind === 'file' && e.path.includes('kind-devenv')) as Extract<PlanEntry, { kind: 'file' }>;
    const doc = parseAllDocuments(file.content)[0].toJS();
    assert.equal(doc, {
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      name: 'devenv',
      nodes: [
        {
          role: 'control-plane',
          extraPortMappings: [
            { containerPort: 30080, hostPort: 8080, listenAddress: '127.0.0.1', protocol: 'TCP' },
            { containerPort: 32101, hostPort: 2101, listenAddress: '127.0.0.1', protocol: 'TCP' },
          ],
        },
      ],
      kubeadmConfigPatches: ['kind: ClusterConfiguration\napiServer:\n  extraArgs:\n    enable-aggregator-routing: "true"\n'],
    });
  } finally {
    t.cleanup();
  }
});

test('dry-run plan: apply phases carry the right objects, the built tag, and no secret value', async () => {
  const { t, entries } = await dryRunUp();
  try {
    const all = entries.filter((e): e is Extract<PlanEntry, { kind: 'exec' }> => e.kind === 'exec' && e.argv.includes('-f'));
    // The first is the metrics-server addon (kind only), rendered with its image.
    const [addon, apply, ...more] = all;
    assert.equal(more, [], 'one apply for every phase');
    assert.ok(addon.note?.startsWith('metrics-server (Metrics API for the HPAs), image registry.k8s.io/metrics-server/metrics-server:v0.8.0'), addon.note);
    assert.ok(addon.stdin?.includes('kind: APIService'));
    // The phases' objects in dependency order, one JSON List: namespace, config and secrets, backing services, nodes, scaling.
    const objects = appliedObjects(apply.stdin);
    assert.equal(objects.map((o) => `${o.kind}/${o.metadata.name}`), [
      'Namespace/blockchain',
      'ConfigMap/blockchain-config', 'ConfigMap/rate-limit-settings', 'Secret/blockchain-secrets',
      'Service/redis', 'Deployment/redis',
      'Service/miner-headless', 'Service/miner-service', 'StatefulSet/miner', 'Service/webserver-headless', 'Service/webserver-service', 'StatefulSet/webserver',
      'HorizontalPodAutoscaler/webserver-hpa', 'HorizontalPodAutoscaler/miner-hpa', 'PodDisruptionBudget/miner-pdb', 'PodDisruptionBudget/webserver-pdb',
    ]);
    const nodes = objects.filter((o) => o.kind === 'StatefulSet');
    const images = nodes.flatMap((s) => [...(s.spec.template.spec.initContainers ?? []), ...s.spec.template.spec.containers].map((c: any) => c.image));
    assert.equal([...new Set(images)], [TAG]);
    assert.ok(apply.note?.includes('StatefulSet/miner'));
    // Secret values are masked in the plan.
    const secret = objects.find((o) => o.kind === 'Secret');
    assert.equal(Object.values({ ...secret.data, ...secret.stringData }), ['***', '***']);
  } finally {
    t.cleanup();
  }
});

test('the down --k8s pipeline: step names in order', () => {
  assert.equal(stepNames(k8sDownPipeline({ cluster: false })), [
    'Preflight: Docker daemon, kind, kubectl',
    'Render the manifests (what devenv applied)',
    'Delete the workloads, Services and config (the namespace and its PVCs are kept)',
    'Delete the namespace and its PVCs (--volumes)',
    'Delete the kind cluster (--cluster; its PVCs go with it)',
  ]);
});

test('down --k8s --dry-run: the rendered objects but the namespace and PVCs; --volumes the namespace (its PVCs named); --cluster the kind cluster', async () => {
  const K = 'kubectl --context kind-devenv';
  const refs = [
    'horizontalpodautoscaler.autoscaling/webserver-hpa horizontalpodautoscaler.autoscaling/miner-hpa poddisruptionbudget.policy/miner-pdb poddisruptionbudget.policy/webserver-pdb',
    'service/miner-headless service/miner-service statefulset.apps/miner service/webserver-headless service/webserver-service statefulset.apps/webserver',
    'service/redis deployment.apps/redis',
    'configmap/blockchain-config configmap/rate-limit-settings secret/blockchain-secrets',
  ].join(' ');
  const head = ['kubectl version --client -o json', 'kind get clusters'];
  const cases: Array<[{ cluster: boolean; volumes?: boolean }, (root: string) => string[]]> = [
    [{ cluster: false }, (root) => [...head, `kubectl kustomize ${join(root, 'manifests')}`, `${K} delete -n blockchain ${refs} --ignore-not-found=true --cascade=foreground --wait=true --timeout=300s`, `${K} get persistentvolumeclaims -n blockchain -o json`]],
    [{ cluster: false, volumes: true }, () => [...head, `${K} get persistentvolumeclaims -n blockchain -o json`, `${K} delete namespace blockchain --ignore-not-found=true --wait=true --timeout=300s`]],
    [{ cluster: true }, () => [...head, 'kind delete cluster --name devenv']],
    [{ cluster: true, volumes: true }, () => [...head, 'kind delete cluster --name devenv']],
  ];
  for (const [flags, expected] of cases) {
    const t = testApp({ dryRun: true });
    try {
      const ctx = createK8sContext(t.app, { base: { app: t.app, docker: fakeDocker() }, deps: dryDeps });
      await runPipeline(k8sDownPipeline(flags), ctx, t.app.output);
      const lines = t.app.plan.entries.map(line);
      assert.equal(lines, expected(t.root), JSON.stringify(flags));
      assert.not.ok(lines.some((l) => /persistentvolumeclaim\/|\bpvc\//.test(l) || (!flags.volumes && !flags.cluster && l.includes('delete namespace'))), 'the data is deleted only on request');
      assert.not.ok(existsSync(join(t.root, 'manifests/secrets.env')), 'down writes no keys');
    } finally {
      t.cleanup();
    }
  }
});

test.run();
