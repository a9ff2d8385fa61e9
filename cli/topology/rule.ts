// What every rule sees: both topologies, the pairing, and per-replica views of
// the environment, built once. A rule is a named pure function of this context.
import { AddressBook } from './addresses.ts';
import type { ComposeTopology } from './compose.loader.ts';
import { composeEnv, kubernetesEnv, type EnvEntry } from './env-view.ts';
import type { Finding } from './finding.ts';
import type { KubernetesTopology } from './kubernetes.loader.ts';
import type { Workload } from './model.ts';
import type { Pair, Pairing } from './pairing.ts';
import { speaksContract } from './node-contract.ts';

export interface Group {
  /** The workload's name (Kubernetes naming), used as the finding's `service`. */
  name: string;
  workload: Workload;
  pairs: Pair[];
}

export interface CheckContext {
  compose: ComposeTopology;
  kubernetes: KubernetesTopology;
  pairing: Pairing;
  groups: Group[];
  addresses: AddressBook;
  namespace: string;
  composeEnv(service: Workload): Map<string, EnvEntry>;
  /** Environment of one replica; a pair without an ordinal is read as ordinal 0. */
  kubernetesEnv(workload: Workload, ordinal: number | null): Map<string, EnvEntry>;
}

export interface Rule {
  id: string;
  description: string;
  check(ctx: CheckContext): Finding[];
}

export function buildContext(compose: ComposeTopology, kubernetes: KubernetesTopology, pairing: Pairing): CheckContext {
  const addresses = new AddressBook(compose.workloads, kubernetes, pairing, compose.project);
  const groups: Group[] = [];
  for (const p of pairing.pairs) {
    const g = groups.find((x) => x.workload === p.workload);
    if (g) g.pairs.push(p);
    else groups.push({ name: p.workload.name, workload: p.workload, pairs: [p] });
  }
  for (const g of groups) g.pairs.sort((a, b) => (a.ordinal ?? 0) - (b.ordinal ?? 0));
  const cEnv = new Map<Workload, Map<string, EnvEntry>>();
  const kEnv = new Map<string, Map<string, EnvEntry>>();
  return {
    compose,
    kubernetes,
    pairing,
    groups,
    addresses,
    namespace: kubernetes.namespace,
    composeEnv(service) {
      if (!cEnv.has(service)) cEnv.set(service, composeEnv(service));
      return cEnv.get(service)!;
    },
    kubernetesEnv(workload, ordinal) {
      const key = `${workload.kind}/${workload.name}#${ordinal ?? 0}`;
      if (!kEnv.has(key)) kEnv.set(key, kubernetesEnv(workload, ordinal ?? 0, kubernetes.namespace));
      return kEnv.get(key)!;
    },
  };
}

export interface PairEnv {
  group: Group;
  pair: Pair;
  /** The Compose service's environment. */
  compose: Map<string, EnvEntry>;
  /** The environment of the paired Kubernetes replica. */
  kubernetes: Map<string, EnvEntry>;
  /** Whether either side configures the reference node (whose env it reads by its contract). */
  contract: boolean;
}

/** Every paired replica with both environments, in group order: what the env-reading rules iterate. */
export function pairEnvs(ctx: CheckContext): PairEnv[] {
  return ctx.groups.flatMap((group) =>
    group.pairs.map((pair) => {
      const compose = ctx.composeEnv(pair.compose);
      const kubernetes = ctx.kubernetesEnv(group.workload, pair.ordinal);
      return { group, pair, compose, kubernetes, contract: speaksContract(compose) || speaksContract(kubernetes) };
    }),
  );
}

/** "miner_1 (miner-0)" or "redis". */
export function instanceLabel(p: Pair): string {
  return p.ordinal === null ? p.compose.name : `${p.compose.name} (${p.workload.name}-${p.ordinal})`;
}
