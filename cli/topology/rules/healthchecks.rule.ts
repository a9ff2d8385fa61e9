// A Compose healthcheck decides when dependents may start and, with a
// restart policy, nothing else; its Kubernetes counterpart is the readiness
// probe (traffic and start order), not liveness (restarts). The probe must
// check the same endpoint: the URL a curl/wget healthcheck calls, or what
// `blockchain-node healthcheck` checks for the node's role.
import { side } from '../finding.ts';
import type { Health } from '../model.ts';
import { healthcheckEquivalent } from '../node-contract.ts';
import { instanceLabel, type Rule } from '../rule.ts';
import { FindingSet } from './merge-findings.ts';

function describe(h: Health): string {
  if (h.kind === 'exec') return `exec ${JSON.stringify(h.command ?? [])}${h.path ? ` (calls ${h.path} on port ${h.port})` : ''}`;
  if (h.kind === 'http') return `httpGet ${h.path} port ${h.port}`;
  if (h.kind === 'disabled') return 'disabled';
  return `${h.kind} port ${h.port}`;
}

const sameCommand = (a: string[] | undefined, b: string[] | undefined) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

export const healthchecksRule: Rule = {
  id: 'healthchecks',
  description: 'A Compose healthcheck has a readiness probe on the same endpoint and port (a healthcheck mapped only to liveness is a warn; a probe on another path or port is a warn).',
  check(ctx) {
    const set = new FindingSet();
    for (const g of ctx.groups) {
      const w = g.workload;
      const ready = w.health.find((h) => h.purpose === 'readiness');
      const live = w.health.find((h) => h.purpose === 'liveness');
      for (const p of g.pairs) {
        const label = instanceLabel(p);
        const hc = p.compose.health.find((h) => h.kind !== 'disabled');
        const base = { rule: 'healthchecks', service: g.name };
        if (!hc) {
          if (w.health.length) set.add({ ...base, severity: 'info', subject: 'probes', message: `Kubernetes probes ${w.name} (${w.health.map((h) => h.purpose).join(', ')}); Compose has no healthcheck.`, compose: null, kubernetes: side(w.health.map(describe).join('; '), w.health[0].loc), fix: 'nothing to do.' }, label);
          continue;
        }
        const cBase = { ...base, compose: side(describe(hc), hc.loc) };
        if (!ready) {
          set.add({
            ...cBase,
            severity: 'warn',
            subject: 'readiness',
            message: live
              ? `the Compose healthcheck became only a liveness probe: Kubernetes restarts an unhealthy pod but still sends it traffic and lets dependents start (Compose's service_healthy waits).`
              : `Compose has a healthcheck but ${w.name} has no readiness probe: pods count as ready as soon as they start.`,
            kubernetes: side(live ? describe(live) : null, live?.loc ?? w.container ?? w.loc),
            fix: `add a readinessProbe checking what the healthcheck checks${live ? ' (keep the liveness probe for restarts)' : ''}.`,
          }, label);
          continue;
        }
        const kBase = { ...cBase, subject: 'readiness', kubernetes: side(describe(ready), ready.loc) };
        if (ready.kind === 'exec' && sameCommand(ready.command, hc.command)) continue;
        const equiv = hc.path !== undefined ? { kind: 'http' as const, path: hc.path, port: hc.port } : healthcheckEquivalent(hc.command, ctx.composeEnv(p.compose));
        if (!equiv) {
          set.add({ ...kBase, severity: 'info', message: `the healthcheck runs ${JSON.stringify(hc.command)}; the readiness probe is ${describe(ready)}: equivalent only if both check the same thing.`, fix: `use the same command as an exec readinessProbe to be sure.` }, label);
          continue;
        }
        if (ready.kind === 'exec') {
          const readyEquiv = ready.path !== undefined ? { kind: 'http' as const, path: ready.path, port: ready.port } : healthcheckEquivalent(ready.command, ctx.kubernetesEnv(w, p.ordinal));
          if (readyEquiv && readyEquiv.kind === equiv.kind && readyEquiv.port === equiv.port && readyEquiv.path === equiv.path) continue;
          set.add({ ...kBase, severity: 'info', message: `the healthcheck checks ${equiv.kind} ${equiv.path ?? ''} port ${equiv.port}; the readiness probe runs ${JSON.stringify(ready.command)}.`, fix: 'make sure the probe checks the same endpoint.' }, label);
          continue;
        }
        if (ready.port !== equiv.port) {
          set.add({ ...kBase, severity: 'warn', message: `the healthcheck checks port ${equiv.port}; the readiness probe checks port ${ready.port}.`, fix: `point the readinessProbe at port ${equiv.port}.` }, label);
          continue;
        }
        if (equiv.kind === 'http' && ready.kind === 'http' && ready.path !== equiv.path) {
          set.add({ ...kBase, severity: 'warn', message: `the healthcheck calls ${equiv.path}; the readiness probe calls ${ready.path} on the same port: another endpoint, which may answer differently (or 404: never ready).`, fix: `set readinessProbe.httpGet.path to ${equiv.path}.` }, label);
          continue;
        }
        if (equiv.kind !== ready.kind) {
          set.add({ ...kBase, severity: 'info', message: `the healthcheck checks ${equiv.kind === 'http' ? `${equiv.path} over HTTP` : 'the TCP port'} on port ${equiv.port}; the readiness probe is ${describe(ready)}, a ${ready.kind === 'tcp' ? 'weaker' : 'different'} check of the same port.`, fix: equiv.kind === 'http' ? `use httpGet ${equiv.path} for the readinessProbe.` : 'nothing to do.' }, label);
        }
      }
    }
    return set.list();
  },
};
