// Who connects to whom, compared as a graph. An edge is a replica dialling an
// address found in its environment; both sides' addresses are translated to
// the workload ordinal and container port they reach. For nodes of the
// blockchain contract, a Kubernetes miner with NODE_CONNECT_NODES=local and
// ordinal k > 0 dials miner-(k-1) (the chain topology the node derives).
import { describeRef, type Analyzed, type Target } from '../addresses.ts';
import type { EnvEntry } from '../env-view.ts';
import { side } from '../finding.ts';
import type { Loc } from '../model.ts';
import { effectivePeers, PEER_KEY } from '../node-contract.ts';
import { instanceLabel, pairEnvs, type CheckContext, type Group, type Rule } from '../rule.ts';
import type { Pair } from '../pairing.ts';
import { carriesAddresses } from './environment.rule.ts';
import { isSecretEntry } from '../secret-names.ts';
import { FindingSet } from './merge-findings.ts';

export interface PeerEdge {
  from: string;
  key: string;
  value: string;
  to: string[];
  /** What `to` describes, as data: one target per address dialled (none for a seed). */
  targets: Target[];
  location: Loc | null;
  derivation?: string;
}

interface Dial {
  entry: EnvEntry | undefined;
  value: string;
  analyzed: Analyzed;
  derivation?: string;
}

function composeDial(ctx: CheckContext, key: string, env: Map<string, EnvEntry>, contract: boolean): Dial | null {
  const e = env.get(key);
  const text = e?.text ?? (contract && key === PEER_KEY && !e ? 'local' : null);
  if (text === null) return null;
  return { entry: e, value: text, analyzed: ctx.addresses.analyzeCompose(text, key) };
}

function kubernetesDial(ctx: CheckContext, key: string, env: Map<string, EnvEntry>, contract: boolean, pod?: string): Dial | null {
  const e = env.get(key);
  if (contract && key === PEER_KEY) {
    const eff = effectivePeers(env, ctx.namespace);
    if (!eff) return null;
    return { entry: e, value: eff.value, analyzed: ctx.addresses.analyzeKubernetes(eff.value, key), derivation: eff.derivation };
  }
  if (!e || e.text === null) return null;
  return { entry: e, value: e.text, analyzed: ctx.addresses.analyzeKubernetes(e.text, key, pod) };
}

const targets = (d: Dial) => (d.analyzed.refs.length ? d.analyzed.refs.map(describeRef) : [d.value === 'local' ? 'seed (local)' : d.entry && isSecretEntry(d.entry) ? 'no known address' : d.value]);

function addressKeys(ctx: CheckContext, c: Map<string, EnvEntry>, k: Map<string, EnvEntry>, contract: boolean): string[] {
  const keys = new Set<string>();
  for (const key of new Set([...c.keys(), ...k.keys()])) {
    if (carriesAddresses(ctx, key, c.get(key), k.get(key), contract)) keys.add(key);
  }
  if (contract) keys.add(PEER_KEY);
  return [...keys];
}

interface DialPair {
  group: Group;
  pair: Pair;
  key: string;
  contract: boolean;
  cd: ReturnType<typeof composeDial>;
  kd: ReturnType<typeof kubernetesDial>;
}

/** Every address-carrying variable of every paired replica, dialled on each side (null where a side sets none). */
function dials(ctx: CheckContext): DialPair[] {
  return pairEnvs(ctx).flatMap(({ group, pair, compose: c, kubernetes: k, contract }) =>
    addressKeys(ctx, c, k, contract).map((key) => ({ group, pair, key, contract, cd: composeDial(ctx, key, c, contract), kd: kubernetesDial(ctx, key, k, contract, group.workload.sidecarOf?.workload) })),
  );
}

export function peerGraph(ctx: CheckContext): { compose: PeerEdge[]; kubernetes: PeerEdge[] } {
  const compose: PeerEdge[] = [];
  const kubernetes: PeerEdge[] = [];
  for (const { group: g, pair: p, key, cd, kd } of dials(ctx)) {
    if (cd) compose.push({ from: p.compose.name, key, value: cd.entry && isSecretEntry(cd.entry) ? '(secret value)' : cd.value, to: targets(cd), targets: cd.analyzed.refs.map((r) => r.target), location: cd.entry?.loc ?? null });
    if (kd) kubernetes.push({ from: p.ordinal === null ? g.workload.name : `${g.workload.name}-${p.ordinal}`, key, value: kd.entry && isSecretEntry(kd.entry) ? '(secret value)' : kd.value, to: targets(kd), targets: kd.analyzed.refs.map((r) => r.target), location: kd.entry?.loc ?? null, derivation: kd.derivation });
  }
  return { compose, kubernetes };
}

export const peersRule: Rule = {
  id: 'peers',
  description: 'Each replica dials the same peers (translated to cluster DNS: miner_1:2001 = miner-0.miner-headless.<ns>.svc.cluster.local:2001), including the chain topology the node derives for local miners with ordinal > 0; a Service in place of one pod is a load-balanced equivalent.',
  check(ctx) {
    const set = new FindingSet();
    for (const { group: g, pair: p, key, contract, cd, kd } of dials(ctx)) {
      const w = g.workload;
      if (!cd || !kd) continue;
      const verdict = ctx.addresses.compare(cd.analyzed, kd.analyzed);
      if (verdict === 'equal') continue;
      // A connection string may carry a password: show where it leads, not what it says.
      const secret = (cd.entry && isSecretEntry(cd.entry)) || (kd.entry && isSecretEntry(kd.entry));
      const cText = `${secret ? '(secret value)' : cd.value} (${targets(cd).join('; ')})`;
      const kText = `${secret ? '(secret value)' : kd.value} (${targets(kd).join('; ')})${kd.derivation ? ` [${kd.derivation}]` : ''}`;
      const kShown = secret ? '(secret value)' : kd.value;
      const base = {
        rule: 'peers',
        service: g.name,
        subject: key,
        compose: side(cText, cd.entry?.loc ?? p.compose.loc),
        kubernetes: side(kText, kd.entry?.value.kind === 'configMap' && kd.entry.value.sourceLoc ? kd.entry.value.sourceLoc : kd.entry?.loc ?? w.loc),
      };
      const label = instanceLabel(p);
      if (verdict === 'load-balanced') {
        set.add({ ...base, severity: 'info', message: `${key}: Compose dials ${targets(cd).join('; ')}; Kubernetes dials ${targets(kd).join('; ')} through a Service, a load-balanced equivalent.`, fix: 'nothing to do if any replica will do; dial the pod name (<pod>.<headless service>) if one specific replica is meant.' }, label);
        continue;
      }
      if (verdict === 'unresolved') {
        const why = kd.analyzed.refs.filter((r) => r.target.kind === 'unresolved').map(describeRef).join('; ');
        const names = cd.analyzed.refs.map((r) => ctx.addresses.clusterNameFor(r)).filter((n): n is string => Boolean(n));
        const missing = kd.analyzed.refs.filter((r) => r.target.kind === 'unresolved' && /no Service named/.test(r.target.reason)).map((r) => r.host);
        const fix = names.length
          ? `point ${key} at ${names.join(', ')}.`
          : missing.length
            ? `add a Service named ${missing.join(', ')} selecting the pods Compose reaches (${targets(cd).join('; ')}).`
            : `point ${key} at a Service that selects ${targets(cd).join('; ')}.`;
        set.add({ ...base, severity: 'error', message: `${key}: ${kShown} reaches ${why}; in Compose it reaches ${targets(cd).join('; ')}.`, fix }, label);
        continue;
      }
      const seedMismatch = contract && key === PEER_KEY && (cd.value === 'local') !== (kd.value === 'local');
      set.add({
        ...base,
        severity: seedMismatch ? 'error' : 'warn',
        message: seedMismatch
          ? `${key}: ${cd.value === 'local' ? 'the Compose node is the seed but its Kubernetes replica dials a peer: nobody creates the genesis block' : 'the Kubernetes replica is a seed (local) where Compose dials a peer: it starts a second chain'}.`
          : `${key}: Compose dials ${targets(cd).join('; ')}; Kubernetes dials ${targets(kd).join('; ')}.`,
        fix: seedMismatch
          ? `make ${instanceLabel(p)} ${cd.value === 'local' ? 'the seed (local) in Kubernetes too' : `dial ${targets(cd).join('; ')} in Kubernetes (POD_NAME from the downward API lets the node derive it)`}.`
          : `wire ${key} to ${cd.analyzed.refs.map((r) => ctx.addresses.clusterNameFor(r) ?? describeRef(r)).join(', ')}${cd.analyzed.refs.length ? '' : ` (${cd.value})`}.`,
      }, label);
    }
    return set.list();
  },
};
