// What any kind cluster changes on the host, remembered before one is created
// and put back after it is gone: the kubelet's host-wide sysctls, the empty
// /lib/modules Docker creates for kind's bind mount, and the `kind` network
// that outlives `kind delete cluster`. Used by the kind test and the bench.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { execa } from 'execa';

export const KUBELET_SYSCTLS = ['vm.overcommit_memory', 'kernel.panic', 'kernel.panic_on_oops'] as const;

export async function readSysctls(): Promise<Record<string, string>> {
  const out = (await execa('sysctl', ['-n', ...KUBELET_SYSCTLS])).stdout.split('\n');
  return Object.fromEntries(KUBELET_SYSCTLS.map((name, i) => [name, out[i].trim()]));
}

export interface KindHostState {
  sysctls: Record<string, string>;
  libModules: boolean;
  kindNetwork: boolean;
}

export async function snapshotKindHost(): Promise<KindHostState> {
  const networks = (await execa('docker', ['network', 'ls', '--format', '{{.Name}}'])).stdout.split('\n');
  return { sysctls: await readSysctls(), libModules: existsSync('/lib/modules'), kindNetwork: networks.includes('kind') };
}

/** Call after the cluster is deleted. */
export async function restoreKindHost(before: KindHostState): Promise<void> {
  for (const [k, v] of Object.entries(before.sysctls)) await execa('sysctl', ['-w', `${k}=${v}`], { reject: false });
  if (!before.libModules && existsSync('/lib/modules') && readdirSync('/lib/modules').length === 0) rmSync('/lib/modules', { recursive: true });
  if (!before.kindNetwork) await execa('docker', ['network', 'rm', 'kind'], { reject: false });
}
