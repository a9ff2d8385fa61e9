// devenv validate on foreign input (issue 11): a folder without a
// kustomization loads like `kubectl apply -f DIR`; the generated kind config
// is checked only for this project's manifests; probes are required only where
// a Service selects the pods; and the mistakes reviewers catch are warnings
// with file:line and a fix (fixtures under test/fixtures/validate-rules/).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadManifests } from '../../cli/manifests/render.ts';
import { checkObjects } from '../../cli/k8s/validate-manifests.ts';
import { runCli } from '../helpers/cli.ts';
import { repoRoot } from './helpers.ts';

const DIR = 'test/fixtures/validate-rules';
const findings = async (name: string) => checkObjects((await loadManifests([`${DIR}/${name}`], { cwd: repoRoot })).objects);

test('14/16. a folder without a kustomization loads like kubectl apply -f DIR; a Job and an unserved worker need no probes', async () => {
  const r = await loadManifests([`${DIR}/plain-dir`], { cwd: repoRoot });
  assert.equal(r.objects.map((o) => `${o.kind}/${o.name} ${o.file}:${o.line}`), [`Job/migrate ${DIR}/plain-dir/job.yaml:3`, `Deployment/worker ${DIR}/plain-dir/worker.yml:1`]);
  assert.is(r.renderer, 'file');
  assert.equal(await findings('plain-dir'), []);
});

test('15. foreign manifests are not checked against, and never name, this project\'s kind config', async () => {
  const res = await runCli(['validate', '--manifests', `${DIR}/plain-dir`]);
  assert.is(res.exitCode, 0, res.stdout + res.stderr);
  assert.not.match(res.stdout, /kind config|kind-config|30080|32101|blockchain/);
  for (const line of res.stdout.split('\n')) assert.ok(line.length <= 80, `longer than 80 columns: ${line}`);
});

test('17. reviewer mistakes: each a warning at its line with a fix', async () => {
  const got = (await findings('mistakes')).map((f) => `${f.severity} ${f.rule} ${f.file.split('/').pop()}:${f.line} ${f.object}`);
  assert.equal(got, [
    'warn pdb-selector web.yaml:53 PodDisruptionBudget/web',
    'warn image-pull web.yaml:17 Deployment/web',
    'warn service-target-port web.yaml:37 Service/web',
    'warn storage web.yaml:62 PersistentVolumeClaim/uploads',
    'warn storage web.yaml:60 PersistentVolumeClaim/uploads',
    'warn env-secret web.yaml:23 Deployment/web',
  ]);
  for (const f of await findings('mistakes')) assert.ok(f.fix.length > 10 && !/blockchain|devenv/.test(f.fix + f.message), f.fix);
});

test.run();
