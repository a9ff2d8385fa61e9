// devenv validate: the real manifests pass; each broken fixture under
// test/fixtures/validate/<case>/ fails with exactly its expected finding
// (rule, file, line, object), whether kubectl kustomize or the built-in
// renderer rendered it; the CLI exits 2 on errors with the same finding as
// JSON; the kind-config rule catches a mapping no Service answers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExecaRunner } from '../../cli/adapters/exec.ts';
import { defaultConfig } from '../../cli/config.ts';
import { checkKindConfig, kindClusterConfig, kindConfigYaml, loadKindConfig } from '../../cli/k8s/kind-config.ts';
import { validateManifests } from '../../cli/k8s/validate-manifests.ts';
import { Plan } from '../../cli/plan.ts';
import { Redactor } from '../../cli/redact.ts';
import { runCli } from '../helpers/cli.ts';
import { skipIf } from '../helpers/skip.ts';
import { repoRoot } from './helpers.ts';

const fixtures = join(repoRoot, 'test/fixtures/validate');
const cases = readdirSync(fixtures).filter((c) => existsSync(join(fixtures, c, 'expected.json')));
const runner = () => {
  const r = new Redactor();
  return new ExecaRunner(new Plan(r), r, false);
};
const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

test('there is a fixture per rule the brief names, and a valid control', () => {
  for (const c of ['valid', 'bad-field-type', 'probe-undeclared-port', 'selector-mismatch', 'missing-configmap-key', 'hpa-without-requests']) assert.ok(cases.includes(c), c);
});

for (const kubectl of [true, false]) {
  const register = kubectl ? skipIf(hasKubectl ? false : 'kubectl is not on PATH: the fixtures are not rendered by kubectl kustomize') : test;
  register(`fixtures give exactly their expected errors (${kubectl ? 'kubectl kustomize' : 'built-in renderer'})`, async () => {
    for (const c of cases) {
      const expected = JSON.parse(readFileSync(join(fixtures, c, 'expected.json'), 'utf8')).errors;
      const report = await validateManifests(runner(), { cwd: repoRoot, targets: [`test/fixtures/validate/${c}`], kubectl });
      assert.is(report.targets[0].renderer, kubectl ? 'kubectl' : 'builtin', c);
      const got = report.findings.filter((f) => f.severity === 'error').map((f) => ({ rule: f.rule, file: f.file, line: f.line, object: f.object }));
      assert.equal(got, expected, c);
      assert.is(report.warnings, 0, `${c}: ${JSON.stringify(report.findings)}`);
      for (const f of report.findings) assert.ok(f.fix.length > 10, `${c}: a finding without a fix`);
    }
  });
}

test('devenv validate (CLI): manifests, addon and kind config pass, exit 0', async () => {
  const res = await runCli(['validate']);
  assert.is(res.exitCode, 0, res.stderr + res.stdout);
  assert.match(res.stdout, /^valid: manifests \(16 objects/m);
  assert.match(res.stdout, /manifests\/addons\/metrics-server \(9 objects/);
  assert.match(res.stdout, /the generated kind config \(\.devenv\/kind-devenv\.yaml\)/);
});

test('devenv validate --manifests <broken> --json: exit 2 and the finding with rule, file, line, fix', async () => {
  const res = await runCli(['validate', '--manifests', 'test/fixtures/validate/probe-undeclared-port', '--json']);
  assert.is(res.exitCode, 2, res.stderr);
  const doc = JSON.parse(res.stdout);
  assert.is(doc.ok, false);
  assert.is(doc.errors, 1);
  assert.equal(
    { rule: doc.findings[0].rule, file: doc.findings[0].file, line: doc.findings[0].line, object: doc.findings[0].object },
    JSON.parse(readFileSync(join(fixtures, 'probe-undeclared-port/expected.json'), 'utf8')).errors[0],
  );
  assert.match(doc.findings[0].fix, /declared port/);
});

test('devenv validate --manifests FILE reads a single file; its unresolved references are findings', async () => {
  const res = await runCli(['validate', '--manifests', 'manifests/webserver.yaml']);
  assert.is(res.exitCode, 2);
  assert.match(res.stdout, /config-ref\s+manifests\/webserver\.yaml:\d+\s+StatefulSet\/webserver/);
  assert.match(res.stdout, /read like kubectl apply -f/);
});

test('kind config rule: the generated config is valid; a mapping to a node port no Service uses is an error', async () => {
  const cfg = defaultConfig(repoRoot);
  const report = await validateManifests(runner(), { cwd: repoRoot, targets: ['manifests'], kubectl: false });
  const services = (await (await import('../../cli/manifests/render.ts')).loadManifests([join(repoRoot, 'manifests')], { cwd: repoRoot, missingInputs: 'example' })).objects.filter((o) => o.object.kind === 'Service');
  assert.is(report.errors, 0);
  const good = loadKindConfig(kindConfigYaml(kindClusterConfig(cfg)), 'kind.yaml');
  assert.equal(checkKindConfig(good, services), []);
  const broken = kindClusterConfig(cfg);
  broken.nodes[0].extraPortMappings![0].containerPort = 30081;
  broken.nodes[0].extraPortMappings![1].listenAddress = 'localhost';
  const findings = checkKindConfig(loadKindConfig(kindConfigYaml(broken), 'kind.yaml'), services);
  assert.equal(findings.map((f) => [f.rule, f.line, f.message.split(',')[0]]), [
    ['kind-config', 8, 'host port 8080 is mapped to node port 30081'],
    ['kind-config', 14, 'listenAddress "localhost" is not an IP address.'],
  ]);
});

test.run();
