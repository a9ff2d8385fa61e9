// Host names in values, translated to what they reach. `miner_1:2001` in
// Compose and `miner-0.miner-headless.<ns>.svc.cluster.local:2001` in
// Kubernetes both reach container port 2001 of miner ordinal 0, so they are
// equal; `miner-service.<ns>.svc.cluster.local:2001` reaches port 2001 of any
// miner, a load-balanced equivalent. A Service port is followed to the
// container port it targets (`webserver-service:2101` reaches 2001).
import type { Pairing } from './pairing.ts';
import type { NetworkName, Workload } from './model.ts';

export type Target =
  | { kind: 'workload'; workload: string; ordinal: number | '*' }
  | { kind: 'compose-only'; service: string }
  | { kind: 'external'; host: string }
  | { kind: 'unresolved'; host: string; reason: string };

export interface AddressRef {
  host: string;
  port?: number;
  target: Target;
  /** Kubernetes: the Service the name went through. */
  via?: string;
}

export interface Analyzed {
  /** The value with each address replaced by \u0000i\u0000. */
  template: string;
  refs: AddressRef[];
}

export type Verdict = 'equal' | 'load-balanced' | 'different' | 'unresolved';

// Keys whose whole value may be a bare host name (REDIS_HOST=redis).
const HOST_KEY = /(HOST|ADDR|ADDRESS|URL|URI|ENDPOINT|SERVER|PEER|PEERS|NODES|CONNECT|DSN|BROKER)/i;
const TOKEN = /[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?(?::\d{1,5})?/g;
const CLUSTER_DNS = /\.svc(\.cluster\.local)?$/;

interface Candidate {
  start: number;
  end: number;
  host: string;
  port?: number;
  /** Written like an address (host:port, URL authority, or the whole value of a host key). */
  strong: boolean;
}

function candidates(value: string, key: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of value.matchAll(TOKEN)) {
    const start = m.index!;
    const end = start + m[0].length;
    const before = value[start - 1] ?? '';
    const after = value[end] ?? '';
    if (/[A-Za-z0-9_.:-]/.test(before) && !value.slice(0, start).endsWith('//')) continue;
    if (/[A-Za-z0-9_.-]/.test(after)) continue;
    const [host, port] = m[0].split(':');
    const authority = value.slice(0, start).endsWith('//') || before === '@';
    const whole = start === 0 && end === value.length && HOST_KEY.test(key);
    if (!/[A-Za-z]/.test(host)) continue;
    out.push({ start, end, host, port: port === undefined ? undefined : Number(port), strong: port !== undefined || authority || whole });
  }
  return out;
}

function analyze(value: string, key: string, resolve: (c: Candidate) => AddressRef | null): Analyzed {
  let template = '';
  let last = 0;
  const refs: AddressRef[] = [];
  for (const c of candidates(value, key)) {
    const ref = resolve(c);
    if (!ref) continue;
    template += value.slice(last, c.start) + `\u0000${refs.length}\u0000`;
    refs.push(ref);
    last = c.end;
  }
  template += value.slice(last);
  return { template, refs };
}

function labelsMatch(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels?.[k] === selector[k]);
}

export class AddressBook {
  private readonly composeByName = new Map<string, Workload>();

  constructor(
    compose: Workload[],
    private readonly k8s: { workloads: Workload[]; networkNames: NetworkName[]; namespace: string },
    private readonly pairing: Pairing,
    composeProject?: string,
  ) {
    for (const s of compose) {
      for (const n of s.dnsNames) this.composeByName.set(n.toLowerCase(), s);
      if (composeProject) {
        for (let i = 1; i <= Math.max(1, s.replicas.value); i++) {
          this.composeByName.set(`${composeProject}-${s.name}-${i}`.toLowerCase(), s);
          this.composeByName.set(`${composeProject}_${s.name}_${i}`.toLowerCase(), s);
        }
      }
    }
  }

  get namespace(): string {
    return this.k8s.namespace;
  }

  /** The Services that select a workload's pods. */
  servicesOf(workload: string): NetworkName[] {
    const w = this.k8s.workloads.find((x) => x.name === workload);
    return w ? this.k8s.networkNames.filter((n) => labelsMatch(n.selector, w.labels)) : [];
  }

  /** Largest number of replicas a workload can run (HPA maximum included). */
  maxReplicas(name: string): number {
    const w = this.k8s.workloads.find((x) => x.name === name);
    return Math.max(w?.replicas.value ?? 1, w?.autoscaling?.max.value ?? 0);
  }

  /** The Kubernetes identity a Compose service stands for. */
  composeTarget(service: Workload): Target {
    const pair = this.pairing.pairs.find((p) => p.compose === service);
    if (!pair) return { kind: 'compose-only', service: service.name };
    const ordinal = pair.ordinal === null || service.replicas.value > 1 ? '*' : pair.ordinal;
    // A sidecar is reached through its pod: the pod's workload.
    return { kind: 'workload', workload: pair.workload.sidecarOf?.workload ?? pair.workload.name, ordinal };
  }

  analyzeCompose(value: string, key: string): Analyzed {
    return analyze(value, key, (c) => {
      const s = c.strong ? this.composeByName.get(c.host.toLowerCase()) : undefined;
      if (!s) return null;
      return { host: c.host, port: c.port, target: this.composeTarget(s) };
    });
  }

  /** `pod`: for a second container of a pod, the pod's workload, which `localhost` reaches. */
  analyzeKubernetes(value: string, key: string, pod?: string): Analyzed {
    return analyze(value, key, (c) => {
      if (pod && /^(localhost|127\.0\.0\.1)$/i.test(c.host)) return { host: c.host, port: c.port, target: { kind: 'workload', workload: pod, ordinal: '*' } };
      if (!c.strong) return null;
      const r = this.resolveK8s(c.host.toLowerCase(), c.port);
      if (r) return { host: c.host, ...r };
      // A Compose service name kept as it was: it resolves in Compose, not in the cluster.
      if (!c.host.includes('.') && this.composeByName.has(c.host.toLowerCase())) return { host: c.host, port: c.port, target: { kind: 'unresolved', host: c.host, reason: `\`${c.host}\` resolves in Compose; no Service named \`${c.host}\` in namespace ${this.namespace}` } };
      if (CLUSTER_DNS.test(c.host)) return { host: c.host, port: c.port, target: { kind: 'unresolved', host: c.host, reason: 'no Service or pod with that name in these manifests' } };
      return null;
    });
  }

  /** What a Kubernetes host name (and port) reaches; null when it names nothing in these manifests. */
  resolveK8s(host: string, port?: number): { target: Target; port?: number; via?: string } | null {
    const ns = this.k8s.namespace;
    let name = host.replace(/\.$/, '');
    let explicitNs: string | undefined;
    let parts: string[];
    const m = /^(.*)\.svc(?:\.cluster\.local)?$/.exec(name);
    if (m) {
      parts = m[1].split('.');
      explicitNs = parts.pop();
    } else parts = name.split('.');
    if (!m && parts.length === 2 && (parts[1] === ns || !this.service(parts[1]))) {
      // `svc.ns` (or `svc.<other namespace>`) rather than `pod.svc`.
      explicitNs = parts.pop();
    } else if (!m && parts.length === 3) {
      explicitNs = parts.pop();
    }
    name = parts.join('.');
    if (explicitNs !== undefined && explicitNs !== ns) {
      const svc = parts.length === 1 ? this.service(parts[0]) : this.service(parts[1]);
      if (!svc) return null;
      return { target: { kind: 'unresolved', host, reason: `namespace ${explicitNs} is not the manifests' namespace ${ns}` }, port };
    }
    if (parts.length === 1) {
      const svc = this.service(parts[0]);
      if (!svc) return null;
      return this.throughService(svc, host, port);
    }
    if (parts.length === 2) {
      const [pod, svcName] = parts;
      const svc = this.service(svcName);
      if (!svc) return null;
      if (!svc.headless) return { target: { kind: 'unresolved', host, reason: `${svcName} is not a headless Service, so ${pod}.${svcName} has no DNS record` }, port };
      const set = this.k8s.workloads.find((w) => w.kind === 'StatefulSet' && w.serviceName?.value === svcName && pod.startsWith(`${w.name}-`) && /^\d+$/.test(pod.slice(w.name.length + 1)));
      if (!set) return { target: { kind: 'unresolved', host, reason: `no StatefulSet governed by ${svcName} has a pod named ${pod}` }, port };
      const ordinal = Number(pod.slice(set.name.length + 1));
      if (ordinal >= this.maxReplicas(set.name)) return { target: { kind: 'unresolved', host, reason: `${set.name} runs ${this.maxReplicas(set.name)} replica(s); ordinal ${ordinal} never exists` }, port };
      if (!labelsMatch(svc.selector, set.labels)) return { target: { kind: 'unresolved', host, reason: `${svcName} does not select the pods of ${set.name}` }, port };
      return { target: { kind: 'workload', workload: set.name, ordinal }, port, via: svcName };
    }
    return null;
  }

  private service(name: string): NetworkName | undefined {
    return this.k8s.networkNames.find((n) => n.name === name);
  }

  private throughService(svc: NetworkName, host: string, port?: number): { target: Target; port?: number; via?: string } {
    if (svc.type === 'ExternalName') return { target: { kind: 'external', host: svc.externalName ?? host }, port, via: svc.name };
    const selected = this.k8s.workloads.filter((w) => labelsMatch(svc.selector, w.labels));
    if (!selected.length) return { target: { kind: 'unresolved', host, reason: `Service ${svc.name} selects no workload` }, port, via: svc.name };
    const w = selected[0];
    if (svc.headless || port === undefined) return { target: { kind: 'workload', workload: w.name, ordinal: '*' }, port, via: svc.name };
    const sp = svc.ports.find((p) => p.port === port);
    if (!sp) return { target: { kind: 'unresolved', host, reason: `Service ${svc.name} has no port ${port} (ports: ${svc.ports.map((p) => p.port).join(', ') || 'none'})` }, port, via: svc.name };
    const target = typeof sp.targetPort === 'number' ? sp.targetPort : w.ports.find((p) => p.name === sp.targetPort)?.port;
    if (target === undefined) return { target: { kind: 'unresolved', host, reason: `Service ${svc.name} targets port "${sp.targetPort}", which no container of ${w.name} names` }, port, via: svc.name };
    return { target: { kind: 'workload', workload: w.name, ordinal: '*' }, port: target, via: svc.name };
  }

  /** The cluster DNS name (and port) that reaches a target, for fixes. */
  clusterNameFor(ref: AddressRef): string | null {
    const t = ref.target;
    if (t.kind !== 'workload') return null;
    const w = this.k8s.workloads.find((x) => x.name === t.workload);
    const ns = this.k8s.namespace;
    const port = ref.port === undefined ? '' : `:${ref.port}`;
    if (t.ordinal !== '*' && w?.serviceName) return `${w.name}-${t.ordinal}.${w.serviceName.value}.${ns}.svc.cluster.local${port}`;
    const svc = this.k8s.networkNames.find((n) => !n.headless && labelsMatch(n.selector, w?.labels) && (ref.port === undefined || n.ports.some((p) => (typeof p.targetPort === 'number' ? p.targetPort : w?.ports.find((c) => c.name === p.targetPort)?.port) === ref.port)));
    if (!svc) return null;
    const sp = svc.ports.find((p) => (typeof p.targetPort === 'number' ? p.targetPort : w?.ports.find((c) => c.name === p.targetPort)?.port) === ref.port);
    return `${svc.name}.${ns}.svc.cluster.local${sp ? `:${sp.port}` : port}`;
  }

  private norm(t: Target): Target {
    if (t.kind === 'workload' && t.ordinal !== '*' && this.maxReplicas(t.workload) <= 1) return { ...t, ordinal: '*' };
    return t;
  }

  compareRefs(a: AddressRef, b: AddressRef): Verdict {
    const x = this.norm(a.target);
    const y = this.norm(b.target);
    if (y.kind === 'unresolved') return 'unresolved';
    if (a.port !== b.port) return 'different';
    if (x.kind === 'workload' && y.kind === 'workload') {
      if (x.workload !== y.workload) return 'different';
      if (x.ordinal === y.ordinal) return 'equal';
      return x.ordinal === '*' || y.ordinal === '*' ? 'load-balanced' : 'different';
    }
    if (x.kind === 'external' && y.kind === 'external') return x.host === y.host ? 'equal' : 'different';
    return 'different';
  }

  /** Compose value vs Kubernetes value, after translating the addresses in both. */
  compare(compose: Analyzed, k8s: Analyzed): Verdict {
    if (compose.template !== k8s.template || compose.refs.length !== k8s.refs.length) {
      return k8s.refs.some((r) => r.target.kind === 'unresolved') ? 'unresolved' : 'different';
    }
    const order: Verdict[] = ['equal', 'load-balanced', 'different', 'unresolved'];
    let worst: Verdict = 'equal';
    compose.refs.forEach((r, i) => {
      const v = this.compareRefs(r, k8s.refs[i]);
      if (order.indexOf(v) > order.indexOf(worst)) worst = v;
    });
    return worst;
  }
}

export function describeTarget(t: Target): string {
  switch (t.kind) {
    case 'workload':
      return t.ordinal === '*' ? `any pod of ${t.workload}` : `${t.workload} ordinal ${t.ordinal}`;
    case 'compose-only':
      return `Compose service ${t.service} (not paired with a workload)`;
    case 'external':
      return `external host ${t.host}`;
    case 'unresolved':
      return `nothing (${t.reason})`;
  }
}

export function describeRef(r: AddressRef): string {
  return `${describeTarget(r.target)}${r.port !== undefined ? `, port ${r.port}` : ''}`;
}
