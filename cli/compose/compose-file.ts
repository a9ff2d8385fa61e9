// A first look at the Compose file before anything runs, so that bad input is
// reported with file and line (exit 2) and nothing is started: YAML syntax,
// the services map, and depends_on naming services that exist.
import { readFileSync, existsSync } from 'node:fs';
import { relative } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { usageError } from '../errors.ts';

export interface ComposeFileSummary {
  file: string;
  services: string[];
  /** Services started by a plain `up` (no profiles). */
  defaultServices: string[];
  volumes: string[];
}

export function checkComposeText(text: string, file: string): ComposeFileSummary {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true });
  const line = (n: YamlNode | null | undefined) => (n?.range ? lc.linePos(n.range[0]).line : undefined);
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw usageError(`invalid YAML in the Compose file: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, 'fix the YAML at that line (indentation, a missing colon or an unclosed quote are the usual causes).', { file, line: e.linePos?.[0]?.line });
  }
  const root = doc.contents as YamlNode | null;
  if (!isMap(root)) throw usageError('the Compose file is not a mapping of top-level keys.', 'start it with `services:`.', { file, line: 1 });
  const servicesNode = root.get('services', true) as YamlNode | undefined;
  if (!isMap(servicesNode)) throw usageError('the Compose file has no `services:` mapping.', 'declare the services under a top-level `services:` key.', { file, line: line(servicesNode) ?? 1 });
  const services: string[] = [];
  const defaultServices: string[] = [];
  for (const pair of servicesNode.items) {
    const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
    services.push(name);
    const svc = pair.value as YamlNode;
    if (isMap(svc) && !svc.has('profiles')) defaultServices.push(name);
  }
  for (const pair of servicesNode.items) {
    const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const svc = pair.value as YamlNode;
    if (!isMap(svc)) continue;
    const deps = svc.get('depends_on', true) as YamlNode | undefined;
    const depNodes: YamlNode[] = isSeq(deps) ? (deps.items as YamlNode[]) : isMap(deps) ? deps.items.map((p) => p.key as YamlNode) : [];
    for (const d of depNodes) {
      const dep = String(isScalar(d) ? d.value : d);
      if (!services.includes(dep)) {
        throw usageError(`service \`${name}\` depends on \`${dep}\`, which is not a service in this file.`, `fix the name (services: ${services.join(', ')}) or remove the dependency.`, { file, line: line(d) });
      }
    }
  }
  const volumesNode = root.get('volumes', true) as YamlNode | undefined;
  const volumes = isMap(volumesNode) ? volumesNode.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key)) : [];
  return { file, services, defaultServices, volumes };
}

export function checkComposeFile(path: string, cwd: string): ComposeFileSummary {
  const shown = relative(cwd, path) || path;
  if (!existsSync(path)) throw usageError(`the Compose file ${shown} does not exist.`, 'set compose.file in devenv.yaml to an existing file.');
  return checkComposeText(readFileSync(path, 'utf8'), shown);
}
