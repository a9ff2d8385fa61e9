// The kind cluster, created only when `kind get clusters` does not list its
// exact name, from a generated config (written under .devenv/, shown in the
// dry-run plan) that publishes the webserver NodePorts on the host.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { kindClusterConfig, kindConfigPath, kindConfigYaml } from '../../k8s/kind-config.ts';
import type { K8sContext } from '../k8s-context.ts';
import type { Step } from '../pipeline.ts';

export const k8sClusterStep: Step<K8sContext> = {
  name: 'Create the kind cluster',
  skip: (ctx) => {
    if (ctx.target.existingCluster) return `using an ${ctx.target.description}`;
    if (ctx.clusterExists) return `kind cluster ${ctx.kind.name} exists`;
    return false;
  },
  run: async (ctx, io) => {
    const { app } = ctx;
    const file = kindConfigPath(app.config);
    const text = kindConfigYaml(kindClusterConfig(app.config, app.env, ctx.kindNode, ctx.hostPorts));
    app.plan.record({ kind: 'file', path: relative(app.cwd, file) || file, content: text, note: 'kind cluster config' });
    if (!app.args.dryRun) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    const image = app.config.images.kindNode || null;
    io.report(`kind create cluster --name ${ctx.kind.name}${image ? ` --image ${image}` : ''} (a minute or two)`);
    await ctx.kind.create(file, { image });
    ctx.clusterExists = true;
  },
};
