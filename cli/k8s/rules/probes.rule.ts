// Probes decide when a pod receives traffic and when it is restarted; a probe
// on a port the container does not declare (or no probe at all) is how the
// upstream setup shipped pods that "passed" while not ready.
import { BATCH_KINDS, matchesSelector } from '../../manifests/kinds.ts';
import { containersOf, podSpecOf } from '../../manifests/objects.ts';
import { finding, type ManifestFinding, type ManifestRule } from './rule.ts';

const PROBES = ['startupProbe', 'readinessProbe', 'livenessProbe'] as const;

function declared(container: any): { numbers: Set<number>; names: Set<string>; text: string } {
  const ports: any[] = Array.isArray(container.ports) ? container.ports : [];
  return {
    numbers: new Set(ports.map((p) => p?.containerPort).filter((n) => typeof n === 'number')),
    names: new Set(ports.map((p) => p?.name).filter((n) => typeof n === 'string')),
    text: ports.length ? ports.map((p) => (p?.name ? `${p.name}/${p.containerPort}` : String(p?.containerPort))).join(', ') : 'none',
  };
}

export const probesRule: ManifestRule = {
  id: 'probe-port',
  description: 'Every container of pods a Service selects has a readiness probe (and a liveness probe); Jobs, CronJobs and pods no Service selects need none. Each probe targets a port the container declares.',
  check(ctx) {
    const out: ManifestFinding[] = [];
    const services = ctx.objects.filter((o) => o.kind === 'Service' && o.object.spec?.selector && Object.keys(o.object.spec.selector).length);
    for (const at of ctx.objects) {
      const pod = podSpecOf(at.object);
      // Traffic reaches only pods a Service selects; batch pods run to completion.
      const served = Boolean(pod) && !BATCH_KINDS.has(at.kind) && services.some((s) => s.namespace === at.namespace && matchesSelector(s.object.spec.selector, pod!.labels));
      for (const { container, path, init } of containersOf(at.object)) {
        if (init) continue;
        const name = container.name ?? '(unnamed)';
        if (served && !container.readinessProbe) {
          out.push(finding('probe-missing', 'error', at, path, `container ${name} has no readinessProbe: Services send it traffic (and rollouts count it ready) as soon as it starts.`, 'add a readinessProbe (httpGet on the health route, tcpSocket or exec) on a declared port.'));
        }
        if (served && !container.livenessProbe) {
          out.push(finding('probe-missing', 'warn', at, path, `container ${name} has no livenessProbe: a hung process is never restarted.`, 'add a livenessProbe (e.g. the same check as readiness, with a higher failureThreshold).'));
        }
        const ports = declared(container);
        for (const probe of PROBES) {
          const p = container[probe];
          if (!p) continue;
          for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
            const port = p[handler]?.port;
            if (port === undefined) continue;
            const ok = typeof port === 'number' ? ports.numbers.has(port) : ports.names.has(String(port));
            if (ok) continue;
            out.push(
              finding('probe-port', 'error', at, [...path, probe, handler, 'port'], `${probe} of container ${name} targets port ${JSON.stringify(port)}, which the container does not declare (declared: ${ports.text}).`, `point the probe at a declared port${ports.names.size ? ` (e.g. ${[...ports.names][0]})` : ''}, or declare ${JSON.stringify(port)} under the container's ports.`),
            );
          }
        }
      }
    }
    return out;
  },
};
