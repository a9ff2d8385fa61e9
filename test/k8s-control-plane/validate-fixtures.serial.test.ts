// `devenv validate`'s broken fixtures (test/fixtures/validate/<case>/, each
// with expected.json) against a real API server: the server rejects exactly
// the cases whose expected finding is a schema error (so the validator is
// never weaker than the server, and its other rules catch what the server lets
// through), and a selector mismatch really leaves a Service without endpoints
// while the valid case gets them (kwok runs the pods).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipIf } from '../helpers/skip.ts';
import { controlPlaneBinaries, startControlPlane, type ControlPlane } from '../helpers/control-plane.ts';
import { renderKustomize, type K8sObject } from './render.ts';
import { waitUntil } from './wait.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(root, 'test/fixtures/validate');
const cases = existsSync(fixtures) ? readdirSync(fixtures).filter((c) => existsSync(join(fixtures, c, 'expected.json')) && existsSync(join(fixtures, c, 'kustomization.yaml'))) : [];
const bin = controlPlaneBinaries();
const test = skipIf(
  !bin ? 'no control plane binaries (bash scripts/k8s-test-control-plane.sh build)' : cases.length === 0 ? 'no test/fixtures/validate/<case>/expected.json' : false,
  suite('devenv validate fixtures on a real API server'),
);

let cp: ControlPlane;
const SERVER_RULES = new Set(['schema', 'object-name', 'workload-selector', 'resources', 'volume-mount']);
const rendered = new Map<string, K8sObject[]>();

/** The case's objects, moved into a namespace of the case's name (the fixtures share one). */
function inNamespace(c: string): string {
  return rendered.get(c)!.filter((o) => o.kind !== 'Namespace')
    .map((o) => JSON.stringify({ ...o, metadata: { ...o.metadata, namespace: c } })).join('\n');
}

async function apply(c: string, dryRun: boolean) {
  const ns = await cp.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: c } });
  assert.ok(ns.status === 201 || ns.status === 409, JSON.stringify(ns.body));
  return cp.kubectl(['apply', '-n', c, '--server-side', '--field-manager=devenv-test', ...(dryRun ? ['--dry-run=server'] : []), '-f', '-'], { input: inNamespace(c) });
}

test.before(async () => {
  for (const c of cases) rendered.set(c, (await renderKustomize(join(fixtures, c))).objects);
  cp = await startControlPlane();
});

test.after(async () => {
  await cp?.stop();
});

test('the API server rejects exactly the fixtures whose expected finding is one the API server also makes', async () => {
  const mismatches: string[] = [];
  for (const c of cases) {
    const errors: { rule: string }[] = JSON.parse(readFileSync(join(fixtures, c, 'expected.json'), 'utf8')).errors ?? [];
    const r = await apply(c, true);
    const serverRejects = r.code !== 0;
    // The rules that stand for the API server's own validation (schemas, names, selectors, limits, mounts).
    const schema = errors.some((e) => SERVER_RULES.has(e.rule));
    console.log(`${c}: server ${serverRejects ? 'rejects' : 'accepts'}; devenv validate expects ${errors.map((e) => e.rule).join(', ') || 'no error'}`);
    if (serverRejects && errors.length === 0) mismatches.push(`${c}: the server rejects it but devenv validate expects no error: ${r.stderr.trim()}`);
    if (serverRejects !== schema) mismatches.push(`${c}: server ${serverRejects ? 'rejects' : 'accepts'} it, expected findings ${JSON.stringify(errors)}; ${r.stderr.trim()}`);
  }
  assert.equal(mismatches, []);
  if (cases.includes('valid')) assert.is((await apply('valid', true)).code, 0);
});

// Endpoints need pods: the controller manager, a scheduler and kwok's nodes.
const podsRun = Boolean(controlPlaneBinaries(['kube-controller-manager', 'kube-scheduler', 'kwok']));
if (bin && !podsRun) console.log('skipped: selector-mismatch endpoints (needs the controller manager, scheduler and kwok)');

(podsRun ? test : test.skip)('selector-mismatch: the Service gets no endpoints; the valid case does', async () => {
  assert.ok(cases.includes('valid') && cases.includes('selector-mismatch'), 'the valid and selector-mismatch fixtures exist');
  const endpoints = async (ns: string, svc: string) => {
    const s = await cp.request('GET', `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${svc}`);
    return (s.body.items ?? []).reduce((n: number, e: any) => n + (e.endpoints?.length ?? 0), 0);
  };
  for (const c of ['valid', 'selector-mismatch']) {
    const r = await apply(c, false);
    assert.is(r.code, 0, `${c}: ${r.stderr}`);
  }
  for (const c of ['valid', 'selector-mismatch']) {
    for (const s of rendered.get(c)!.filter((o) => o.kind === 'StatefulSet')) {
      await waitUntil(`${c}: StatefulSet ${s.metadata.name} ready`, 90_000, async () => {
        const got = await cp.request('GET', `/apis/apps/v1/namespaces/${c}/statefulsets/${s.metadata.name}`);
        return got.body.status?.readyReplicas === (s.spec.replicas ?? 1);
      }, async () => (await cp.kubectl(['get', '-n', c, 'pods,pvc', '-o', 'wide'])).stdout);
    }
  }
  const services = (c: string) => rendered.get(c)!.filter((o) => o.kind === 'Service' && o.spec?.selector).map((o) => o.metadata.name);
  for (const svc of services('valid')) {
    await waitUntil(`valid: endpoints of Service ${svc}`, 30_000, async () => (await endpoints('valid', svc)) > 0);
  }
  // The EndpointSlice controller has caught up with the valid namespace; give it the same chance here.
  await new Promise((r) => setTimeout(r, 2000));
  const empty = [];
  for (const svc of services('selector-mismatch')) if ((await endpoints('selector-mismatch', svc)) === 0) empty.push(svc);
  assert.ok(empty.length > 0, 'a Service of selector-mismatch has no endpoints');
});

test.run();
