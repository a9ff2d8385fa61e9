// When a real kind cluster can be created here, for skipIf() in the kind
// end-to-end test: a Docker daemon, a kind binary, and a node image the local
// Docker has (DEVENV_KIND_NODE_IMAGE; `eval "$(scripts/kind-node-image.sh)"`
// builds one with no registry).
import { execa } from 'execa';
import { dockerSkipReason } from './docker.ts';

export async function kindSkipReason(env: NodeJS.ProcessEnv = process.env): Promise<string | false> {
  const docker = await dockerSkipReason();
  if (docker) return docker;
  const image = env.DEVENV_KIND_NODE_IMAGE;
  if (!image) return 'no kind node image (DEVENV_KIND_NODE_IMAGE unset; `eval "$(scripts/kind-node-image.sh)"` builds one offline)';
  const inspect = await execa('docker', ['image', 'inspect', image], { reject: false, timeout: 10_000 });
  if (inspect.exitCode !== 0) return `kind node image ${image} is not in the local Docker (scripts/kind-node-image.sh builds it)`;
  const kind = await execa(env.KIND || 'kind', ['version'], { reject: false, timeout: 10_000 });
  if (kind.exitCode !== 0) return 'no kind binary (set KIND, or put kind on PATH; scripts/kind-node-image.sh builds one)';
  return false;
}
