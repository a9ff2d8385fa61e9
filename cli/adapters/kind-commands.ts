// The kind command lines devenv runs, as argument arrays (never shell
// strings). Each builder returns the arguments after the binary; pair them
// with the resolved binary (cli/adapters/kind-binary.ts) via kindCommand().
//
// Checked against kind's own documentation and source:
// - Quick Start, https://kind.sigs.k8s.io/docs/user/quick-start/
//   (site/content/docs/user/quick-start.md in kubernetes-sigs/kind):
//   "Use the `--name` flag to assign the cluster a different context name";
//   "`--wait` ... you must specify the units of the time to wait ... `--wait 30s`";
//   "To specify a configuration file when creating a cluster, use the `--config`
//   flag: kind create cluster --config kind-example-config.yaml";
//   "kind get clusters"; "kind delete cluster" with "--name" (deleting a
//   cluster that does not exist is not an error, by design);
//   "kind load docker-image my-custom-image-0 my-custom-image-1 --name kind-2".
// - `kind create cluster --help` flags (--name/-n, --config, --image, --retain,
//   --wait, --kubeconfig): pkg/cmd/kind/create/cluster/createcluster.go.
// - `kind get kubeconfig --name NAME` prints the kubeconfig to stdout (flags
//   --name/-n, --internal): pkg/cmd/kind/get/kubeconfig/kubeconfig.go.
// - `kind load docker-image IMAGE... --name NAME` (flags --name, --nodes):
//   pkg/cmd/kind/load/docker-image/docker-image.go.
// - Cluster names must match ^[a-z0-9.-]+$: pkg/internal/apis/config/validate.go.
import { usageError } from '../errors.ts';
import type { CommandSpec } from './exec.ts';

/** kind's own rule for cluster names. */
export const KIND_CLUSTER_NAME_RE = /^[a-z0-9.-]+$/;
/** What `kind create cluster --wait` gets unless told otherwise. */
export const DEFAULT_KIND_WAIT = '120s';

function clusterName(name: string): string {
  if (!KIND_CLUSTER_NAME_RE.test(name) || name.startsWith('-') || name.startsWith('.')) {
    throw usageError(
      `"${name}" is not a valid kind cluster name: kind requires lowercase letters, digits, "." and "-" (^[a-z0-9.-]+$).`,
      'choose a name such as "devenv".',
    );
  }
  return name;
}

/** A value that follows a flag or stands as a positional: never empty, never read as a flag. */
function operand(what: string, value: string): string {
  if (!value || value.startsWith('-') || /[\0\n]/.test(value)) {
    throw usageError(`${what} "${value}" cannot be passed to kind (empty, starts with "-", or has a control character).`);
  }
  return value;
}

function duration(wait: string): string {
  // kind parses --wait with Go's time.ParseDuration and requires units.
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(wait)) {
    throw usageError(`--wait "${wait}" is not a duration with units (kind needs e.g. 30s, 5m, 120s).`);
  }
  return wait;
}

/** kind create cluster --name NAME [--image NODE_IMAGE] --config FILE --wait 120s */
export function kindCreateCluster(opts: { name: string; config: string; wait?: string; image?: string | null }): string[] {
  return [
    'create',
    'cluster',
    '--name',
    clusterName(opts.name),
    ...(opts.image ? ['--image', operand('node image', opts.image)] : []),
    '--config',
    operand('config file', opts.config),
    '--wait',
    duration(opts.wait ?? DEFAULT_KIND_WAIT),
  ];
}

/** kind get clusters (one name per line on stdout; "No kind clusters found." on stderr when none). */
export function kindGetClusters(): string[] {
  return ['get', 'clusters'];
}

/** kind delete cluster --name NAME (succeeds when the cluster does not exist). */
export function kindDeleteCluster(opts: { name: string }): string[] {
  return ['delete', 'cluster', '--name', clusterName(opts.name)];
}

/** kind load docker-image IMAGE --name NAME */
export function kindLoadDockerImage(opts: { image: string; name: string }): string[] {
  return ['load', 'docker-image', operand('image', opts.image), '--name', clusterName(opts.name)];
}

/** kind get kubeconfig --name NAME (kubeconfig on stdout). */
export function kindGetKubeconfig(opts: { name: string }): string[] {
  return ['get', 'kubeconfig', '--name', clusterName(opts.name)];
}

/** A CommandRunner spec for the resolved kind binary. */
export function kindCommand(binary: string, args: string[], extra: Partial<Omit<CommandSpec, 'cmd' | 'args'>> = {}): CommandSpec {
  return {
    cmd: binary,
    args,
    missingHint: 'run `npx devenv-kind --devenv-which` to fetch the pinned kind, or set KIND=/path/to/kind.',
    ...extra,
  };
}
