// What `devenv validate` reports and how it prints it: apart from the rules,
// so a report answered from the cache (cli/k8s/validate-cache.ts) is printed
// without loading them.
import { TEXT_WIDTH, wrap } from '../output-wrap.ts';
import type { Renderer } from '../manifests/render.ts';
import type { ManifestFinding } from './rules/rule.ts';

export interface TargetReport {
  target: string;
  renderer: Renderer | 'failed';
  objects: number;
  /** Things the renderer could not do exactly (built-in subset), not findings. */
  notes: string[];
}

export interface ValidationReport {
  targets: TargetReport[];
  kindConfig: string | null;
  findings: ManifestFinding[];
  errors: number;
  warnings: number;
}

export function formatValidationReport(report: ValidationReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    lines.push(...wrap(`${f.severity.padEnd(7)} ${f.rule}  ${f.file}:${f.line}  ${f.object}`, '        ', TEXT_WIDTH, ''));
    lines.push(...wrap(f.message, '        '));
    lines.push(...wrap(f.fix, '             ', TEXT_WIDTH, '        fix: '));
  }
  for (const t of report.targets) for (const n of t.notes) lines.push(...wrap(n, '      ', TEXT_WIDTH, 'note: '));
  const how = report.targets.map((t) => `${t.target} (${t.objects} objects, ${t.renderer === 'kubectl' ? 'rendered by kubectl kustomize' : t.renderer === 'builtin' ? 'rendered in process (kustomize keys)' : t.renderer === 'file' ? 'read like kubectl apply -f' : 'did not render'})`);
  const what = [...how, ...(report.kindConfig ? [`the generated kind config (${report.kindConfig})`] : [])].join(', ');
  if (lines.length) lines.push('');
  lines.push(...wrap(`${report.errors ? 'invalid' : 'valid'}: ${what}; ${report.errors} error(s), ${report.warnings} warning(s).`, '  ', TEXT_WIDTH, ''));
  return lines.join('\n');
}
