// The Kubernetes loader: multi-document files, ConfigMap and Secret
// resolution (data, base64, stringData, envFrom), kustomize generators and
// transforms read without kubectl, the same kustomization rendered by
// kubectl and traced back to the same lines, and the kustomize adapter.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CommandRunner, CommandSpec } from '../../cli/adapters/exec.ts';
import { renderKustomization } from '../../cli/adapters/kustomize.ts';
import { CommandError, DevenvError, ExitCode } from '../../cli/errors.ts';
import { loadKubernetes } from '../../cli/topology/kubernetes.loader.ts';
import { kubernetesEnv } from '../../cli/topology/env-view.ts';
import { skipIf } from '../helpers/skip.ts';
import { kubectlAvailable, kubectlRenderer, tempDir } from './helpers.ts';

/** Writes the files; a path mapped to undefined is left out (a file the case removes). */
function tree(files: Record<string, string | undefined>): string {
  const dir = tempDir('mc-k8s-');
  for (const [rel, text] of Object.entries(files)) {
    if (text === undefined) continue;
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 1
  selector: { matchLabels: { app: app } }
  template:
    metadata: { labels: { app: app } }
    spec:
      containers:
        - name: app
          image: example/app:1
          envFrom:
            - configMapRef: { name: settings }
              prefix: CFG_
          env:
            - name: PASSWORD
              valueFrom:
                secretKeyRef: { name: creds, key: password }
            - name: MODE
              valueFrom:
                configMapKeyRef: { name: settings, key: mode }
            - name: URL
              value: http://$(MODE).example:80
`;

test('a multi-document file: ConfigMap data, base64 Secret data, envFrom with prefix, $(VAR)', async () => {
  const dir = tree({
    'k8s.yaml': `${APP}---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: settings }
    data:
      mode: fast
  - apiVersion: v1
    kind: Secret
    metadata: { name: creds }
    data:
      password: c2VjcmV0
`,
  });
  const t = await loadKubernetes({ manifests: ['k8s.yaml'], cwd: dir, defaultNamespace: 'ns' });
  const app = t.workloads[0];
  const env = kubernetesEnv(app, 0, t.namespace);
  assert.is(env.get('CFG_mode')!.text, 'fast');
  assert.is(env.get('PASSWORD')!.text, 'secret');
  assert.is(env.get('URL')!.text, 'http://fast.example:80');
  assert.equal(env.get('MODE')!.loc, { file: 'k8s.yaml', line: 23 });
  const mode = env.get('MODE')!.value;
  assert.ok(mode.kind === 'configMap' && mode.sourceLoc?.line === 34, 'the ConfigMap key keeps its line');
  assert.is(t.render, 'files');
});

const KUSTOMIZED = {
  'm/kustomization.yaml': `namespace: shop
resources:
  - app.yaml
configMapGenerator:
  - name: settings
    literals:
      - mode=fast
    files:
      - conf/app.toml
secretGenerator:
  - name: creds
    envs:
      - creds.env
images:
  - name: example/app
    newTag: "2"
replicas:
  - name: app
    count: 3
`,
  'm/app.yaml': APP,
  'm/conf/app.toml': 'port = 80\n',
  'm/creds.env': '# generated\npassword=hunter22\n',
};

test('a kustomization read without kubectl: generators, namespace, images, replicas', async () => {
  const dir = tree(KUSTOMIZED);
  const t = await loadKubernetes({ manifests: ['m'], cwd: dir, defaultNamespace: 'default' });
  const app = t.workloads[0];
  assert.is(t.namespace, 'shop');
  assert.equal(app.image, { value: 'example/app:2', loc: { file: 'm/kustomization.yaml', line: 15 } });
  assert.equal(app.replicas, { value: 3, loc: { file: 'm/kustomization.yaml', line: 19 } });
  const env = kubernetesEnv(app, 0, t.namespace);
  assert.is(env.get('PASSWORD')!.text, 'hunter22');
  const pw = env.get('PASSWORD')!.value;
  assert.ok(pw.kind === 'secret' && pw.sourceLoc?.file === 'm/creds.env' && pw.sourceLoc.line === 2, 'an envs: key points at its line in the env file');
  const settings = t.configData.find((d) => d.name === 'settings')!;
  assert.equal(settings.entries.get('mode')!.loc, { file: 'm/kustomization.yaml', line: 7 });
  assert.equal(settings.entries.get('app.toml')!.contentLoc, { file: 'm/conf/app.toml', line: 1 });
  assert.ok(t.unsupported.some((u) => u.key === 'kustomize:not-rendered'));
});

const withKubectl = skipIf(kubectlAvailable ? false : 'kubectl is not on PATH: the kubectl kustomize render is not compared');

withKubectl('the same kustomization rendered by kubectl lands on the same lines', async () => {
  const dir = tree(KUSTOMIZED);
  const files = await loadKubernetes({ manifests: ['m'], cwd: dir, defaultNamespace: 'default' });
  const rendered = await loadKubernetes({ manifests: ['m'], cwd: dir, defaultNamespace: 'default', render: kubectlRenderer() });
  assert.is(rendered.render, 'kubectl-kustomize');
  const [a, b] = [files, rendered].map((t) => {
    const w = t.workloads[0];
    const env = kubernetesEnv(w, 0, t.namespace);
    return { image: w.image.value, replicas: w.replicas.value, env: [...env.values()].map((e) => [e.name, e.text, e.loc]) };
  });
  assert.equal(b, a);
  // kubectl names generated objects with a hash; the model keeps the generator's name.
  assert.ok(rendered.objects.some((o) => /^creds-[a-z0-9]{10}$/.test(o.name)));
  assert.equal(rendered.configData.map((d) => d.name).sort(), ['creds', 'settings']);
  assert.not.ok(rendered.unsupported.some((u) => u.key === 'kustomize:not-rendered'));
});

test('a missing generated env file: keys from its .example, a note; kubectl renders a copy with the example in place', async () => {
  const dir = tree({ ...KUSTOMIZED, 'm/creds.env': undefined, 'm/creds.env.example': 'password=change-me\n' });
  const dirs: string[] = [];
  const t = await loadKubernetes({ manifests: ['m'], cwd: dir, defaultNamespace: 'default', render: async (d) => (dirs.push(d), '') });
  assert.is(dirs.length, 1);
  assert.not.ok(dirs[0].startsWith(dir), 'kustomize would refuse the missing input: it renders a throwaway copy');
  assert.equal(t.configData.find((d) => d.name === 'creds')!.entries.get('password')!.value, '', 'the example names the key, not the value');
  assert.equal([...t.configData.find((d) => d.name === 'creds')!.entries.keys()], ['password']);
  const note = t.unsupported.find((u) => u.key === 'kustomize:generator-input')!;
  assert.equal(note.loc, { file: 'm/kustomization.yaml', line: 13 });
  assert.match(note.message, /m\/creds\.env\.example/);
});

function fakeRunner(respond: (spec: CommandSpec) => { exitCode: number; stdout?: string; stderr?: string } | Error, dryRun = false): CommandRunner & { calls: CommandSpec[] } {
  const calls: CommandSpec[] = [];
  return {
    dryRun,
    calls,
    async run(spec) {
      calls.push(spec);
      if (spec.cmd !== 'kubectl' || spec.args[0] !== 'kustomize') throw new Error(`unexpected command ${spec.cmd} ${spec.args.join(' ')}`);
      if (dryRun) return { exitCode: 0, stdout: '', stderr: '', dryRun: true };
      const r = respond(spec);
      if (r instanceof Error) throw r;
      return { exitCode: r.exitCode, stdout: r.stdout ?? '', stderr: r.stderr ?? '', dryRun: false };
    },
  };
}

test('renderKustomization: output, null without kubectl, empty under --dry-run, usage error on failure', async () => {
  const ok = fakeRunner(() => ({ exitCode: 0, stdout: 'kind: ConfigMap\n' }));
  assert.is(await renderKustomization(ok, 'manifests'), 'kind: ConfigMap\n');
  assert.equal(ok.calls[0].args, ['kustomize', 'manifests']);
  const missing = fakeRunner(() => new CommandError({ failure: 'not-found', program: 'kubectl', commandLine: 'kubectl kustomize manifests' }));
  assert.is(await renderKustomization(missing, 'manifests'), null);
  // Exit 3 alone does not mean "kubectl is missing": only the runner's not-found does.
  const otherPrerequisite = fakeRunner(() => new DevenvError('the Docker daemon is not reachable.', { exitCode: ExitCode.prerequisite }));
  assert.is(await renderKustomization(otherPrerequisite, 'manifests').catch((e: Error) => e.message), 'the Docker daemon is not reachable.');
  assert.is(await renderKustomization(fakeRunner(() => ({ exitCode: 0 }), true), 'manifests'), '');
  const bad = fakeRunner(() => ({ exitCode: 1, stderr: 'E1128 run.go:72] "command failed" err="accumulating resources: missing.yaml"' }));
  try {
    await renderKustomization(bad, 'manifests');
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, DevenvError);
    assert.is((e as DevenvError).exitCode, ExitCode.usage);
    assert.match((e as DevenvError).message, /accumulating resources: missing\.yaml/);
  }
});

test.run();
