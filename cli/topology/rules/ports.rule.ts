// Every way in must lead to a port the service listens on. A Service's
// targetPort must be a port the Compose service is known to listen on
// (declared, dialled by a peer, or probed); a port Compose publishes on the
// host must be exposed by a Service, ideally under the same port number
// (NodePort/LoadBalancer), else it is in-cluster only (port-forward).
import { side, type Finding } from '../finding.ts';
import type { Loc, Workload } from '../model.ts';
import type { CheckContext, Group, Rule } from '../rule.ts';

const dialled = new WeakMap<CheckContext, Map<Workload, Map<number, Loc>>>();

/** Ports each Compose service is dialled on by its peers (host:port in their environment), computed once. */
function dialledPorts(ctx: CheckContext): Map<Workload, Map<number, Loc>> {
  let out = dialled.get(ctx);
  if (out) return out;
  out = new Map();
  for (const s of ctx.compose.workloads) {
    for (const [key, e] of ctx.composeEnv(s)) {
      if (e.text === null) continue;
      for (const ref of ctx.addresses.analyzeCompose(e.text, key).refs) {
        const target = ctx.compose.workloads.find((w) => w.dnsNames.some((n) => n.toLowerCase() === ref.host.toLowerCase()));
        if (!target || ref.port === undefined) continue;
        if (!out.has(target)) out.set(target, new Map());
        if (!out.get(target)!.has(ref.port)) out.get(target)!.set(ref.port, e.loc);
      }
    }
  }
  dialled.set(ctx, out);
  return out;
}

/** Ports the Compose side shows this group listening on, with where each was seen. */
export function composePorts(ctx: CheckContext, g: Group): Map<number, Loc> {
  const known = new Map<number, Loc>();
  for (const p of g.pairs) {
    for (const cp of p.compose.ports) if (!known.has(cp.port)) known.set(cp.port, cp.loc);
    for (const h of p.compose.health) if (typeof h.port === 'number' && !known.has(h.port)) known.set(h.port, h.loc);
    for (const [port, loc] of dialledPorts(ctx).get(p.compose) ?? []) if (!known.has(port)) known.set(port, loc);
  }
  return known;
}

export const portsRule: Rule = {
  id: 'ports',
  description: 'Service targetPorts reach a port the service listens on in Compose; host-published Compose ports are exposed by a Service (same port number for NodePort/LoadBalancer).',
  check(ctx) {
    const out: Finding[] = [];
    for (const g of ctx.groups) {
      const w = g.workload;
      const known = composePorts(ctx, g);
      const listed = [...known.keys()].sort((a, b) => a - b).join(', ');
      const anyLoc = g.pairs[0].compose.loc;
      for (const e of w.exposures) {
        if (e.kind === 'headless') continue;
        if (e.targetPort === null) {
          out.push({
            rule: 'ports',
            severity: 'error',
            service: g.name,
            subject: `service ${e.serviceName} port ${e.port}`,
            message: `Service ${e.serviceName} port ${e.port} targets port "${e.targetPortName}", which no container port of ${w.name} is named: the Service has no endpoint.`,
            compose: known.size ? side(listed, known.values().next().value ?? anyLoc) : null,
            kubernetes: side(`${e.port} -> ${e.targetPortName}`, e.loc),
            fix: `name a containerPort "${e.targetPortName}" in ${w.name}, or use the port number.`,
          });
          continue;
        }
        if (known.size === 0 || known.has(e.targetPort)) continue;
        const declared = w.ports.some((p) => p.port === e.targetPort);
        out.push({
          rule: 'ports',
          severity: declared ? 'warn' : 'error',
          service: g.name,
          subject: `service ${e.serviceName} port ${e.port}`,
          message: `Service ${e.serviceName} sends port ${e.port} to container port ${e.targetPort}, but in Compose ${g.pairs.map((p) => p.compose.name).join(', ')} listen(s) on ${listed}${declared ? ' (the container declares the port, but Compose never uses it)' : ': nothing listens there'}.`,
          compose: side(listed, [...known.values()][0]),
          kubernetes: side(`${e.port} -> ${e.targetPort}`, e.loc),
          fix: `set targetPort to the port the service listens on (${listed}).`,
        });
      }
      for (const p of g.pairs) {
        for (const pub of p.compose.exposures) {
          if (pub.kind !== 'host-publish') continue;
          const toTarget = w.exposures.filter((e) => e.kind === 'service' && e.targetPort === pub.targetPort);
          const subject = `host port ${pub.port}`;
          const base = { rule: 'ports', service: g.name, subject, compose: side(`${pub.hostIp ? `${pub.hostIp}:` : ''}${pub.port} -> ${pub.targetPort}`, pub.loc) };
          if (!toTarget.length) {
            out.push({ ...base, severity: 'warn', kubernetes: side(null, w.container ?? w.loc), message: `Compose publishes ${p.compose.name}'s port ${pub.targetPort} on host port ${pub.port}; no Service in Kubernetes exposes container port ${pub.targetPort}.`, fix: `add a Service port ${pub.port} -> targetPort ${pub.targetPort} selecting ${w.name} (type NodePort to reach it from the host).` });
            continue;
          }
          // What a client outside the cluster dials: a NodePort's node port (its `port` is in-cluster only), a LoadBalancer's port.
          const external = toTarget.filter((e) => e.serviceType === 'NodePort' || e.serviceType === 'LoadBalancer');
          if (external.some((e) => e.nodePort === pub.port || (e.serviceType === 'LoadBalancer' && e.port === pub.port))) continue;
          const e = external[0] ?? toTarget[0];
          if (external.length) {
            const node = e.nodePort ? `node port ${e.nodePort}` : 'a node port the API server picks (30000-32767)';
            out.push({ ...base, severity: 'info', kubernetes: side(`${e.serviceName} ${e.port} -> ${e.targetPort} (nodePort ${e.nodePort ?? 'auto'})`, e.loc), message: `host port ${pub.port} of ${p.compose.name} became ${node} of ${e.serviceType} ${e.serviceName} (${pub.port} -> ${e.nodePort ?? 'auto'}); its port ${e.port} is reachable inside the cluster only.`, fix: e.nodePort ? `clients of host port ${pub.port} dial ${e.nodePort} on a node instead (on kind, map it with extraPortMappings containerPort ${e.nodePort}, hostPort ${pub.port}).` : `pin the node port (nodePort in 30000-32767) and point clients of host port ${pub.port} at it.` });
          } else {
            const ordinal = p.ordinal !== null && ctx.addresses.maxReplicas(w.name) > 1 ? ` (any ${w.name} pod, not ${w.name}-${p.ordinal} alone)` : '';
            out.push({ ...base, severity: 'info', kubernetes: side(`${e.serviceName} ${e.port} -> ${e.targetPort} (${e.serviceType ?? 'ClusterIP'})`, e.loc), message: `Compose publishes ${p.compose.name}'s port ${pub.targetPort} on host port ${pub.port}; in Kubernetes it is in-cluster only, as ${e.serviceName}:${e.port}${ordinal}.`, fix: `reach it with \`kubectl port-forward -n ${ctx.namespace} svc/${e.serviceName} ${pub.port}:${e.port}\`, or make the Service a NodePort if the host must reach it.` });
          }
        }
      }
    }
    return out;
  },
};
