// Replicas of one workload usually differ from Compose the same way (miner_1
// and miner_2 both lack a variable): one finding names every instance instead
// of repeating itself.
import type { Finding } from '../finding.ts';

export class FindingSet {
  private readonly byKey = new Map<string, { f: Finding; instances: string[] }>();

  add(f: Finding, instance?: string): void {
    const key = `${f.rule}|${f.service}|${f.subject}|${f.severity}|${f.message}`;
    const prev = this.byKey.get(key);
    if (prev) {
      if (instance && !prev.instances.includes(instance)) prev.instances.push(instance);
      return;
    }
    this.byKey.set(key, { f, instances: instance ? [instance] : [] });
  }

  list(): Finding[] {
    return [...this.byKey.values()].map(({ f, instances }) => (instances.length > 1 ? { ...f, message: `${f.message} (${instances.join(', ')})` } : instances.length === 1 ? { ...f, message: `${f.message} (${instances[0]})` } : f));
  }
}
