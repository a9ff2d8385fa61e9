// The process started: Compose entrypoint = Kubernetes command, Compose
// command = Kubernetes args. Overriding the image's default on one side only
// runs another program or other flags.
import { side } from '../finding.ts';
import type { Fact } from '../model.ts';
import { instanceLabel, type Rule } from '../rule.ts';
import { FindingSet } from './merge-findings.ts';

const show = (f: Fact<string[]> | undefined) => (f ? JSON.stringify(f.value) : '(image default)');

export const commandRule: Rule = {
  id: 'command',
  description: 'Compose entrypoint/command equal the container command/args (both default, or both the same words).',
  check(ctx) {
    const set = new FindingSet();
    for (const g of ctx.groups) {
      const w = g.workload;
      for (const p of g.pairs) {
        for (const [cKey, kKey, c, k] of [['entrypoint', 'command', p.compose.entrypoint, w.entrypoint], ['command', 'args', p.compose.command, w.command]] as const) {
          if (JSON.stringify(c?.value ?? null) === JSON.stringify(k?.value ?? null)) continue;
          set.add({
            rule: 'command',
            severity: 'warn',
            service: g.name,
            subject: kKey,
            compose: side(show(c), c?.loc ?? p.compose.loc),
            kubernetes: side(show(k), k?.loc ?? w.loc),
            message: `Compose ${cKey} is ${show(c)}; the container's ${kKey} is ${show(k)}.`,
            fix: c ? `set the container's ${kKey} to ${JSON.stringify(c.value)}.` : `remove ${kKey} from the container, or add ${cKey} to Compose.`,
          }, instanceLabel(p));
        }
      }
    }
    return set.list();
  },
};
