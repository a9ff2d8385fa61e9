// Kubernetes objects with the file and line they came from. `kubectl
// kustomize` prints objects without any trace of their source, so devenv
// parses the source files itself (keeping yaml's node ranges) and points a
// finding at the deepest field of the path that exists in the source.
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { usageError } from '../errors.ts';
import type { K8sObject } from './objects.ts';

export type FieldPath = Array<string | number>;

export interface SourceRef {
  /** As shown to the user (relative to the working directory when inside it). */
  file: string;
  /** Line of the object's first key (1-based). */
  line: number;
  /** Line of the deepest field of `path` present in this source. */
  lineOf(path: FieldPath): number;
}

export interface LoadedObject {
  object: K8sObject;
  source: SourceRef;
}

function lineAt(lc: LineCounter, node: YamlNode | null | undefined, fallback: number): number {
  return node?.range ? lc.linePos(node.range[0]).line : fallback;
}

function sourceFor(file: string, doc: Document.Parsed, lc: LineCounter): SourceRef {
  const root = doc.contents as YamlNode | null;
  const first = isMap(root) && root.items[0] ? (root.items[0].key as YamlNode) : root;
  const line = lineAt(lc, first, 1);
  return {
    file,
    line,
    lineOf(path) {
      let node: YamlNode | null | undefined = root;
      let found = line;
      for (const seg of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
          if (!pair) break;
          found = lineAt(lc, pair.key as YamlNode, found);
          node = pair.value as YamlNode | null;
        } else if (isSeq(node) && typeof seg === 'number') {
          const item = node.items[seg] as YamlNode | undefined;
          if (!item) break;
          found = lineAt(lc, isMap(item) && item.items[0] ? (item.items[0].key as YamlNode) : item, found);
          node = item;
        } else break;
      }
      return found;
    },
  };
}

/** A source for something that is not a YAML object of its own (a generator entry, a whole file). */
export function fixedSource(file: string, line = 1): SourceRef {
  return { file, line, lineOf: () => line };
}

/**
 * Parses a multi-document YAML stream. Empty documents are skipped; a syntax
 * error or a document that is not a mapping is a usage error with file:line.
 */
export function parseManifestText(text: string, file: string): LoadedObject[] {
  const lc = new LineCounter();
  // YAML 1.1, as kubectl and kustomize read it: an unquoted `yes` is a boolean there, and must be here too.
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, version: '1.1' });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: LoadedObject[] = [];
  for (const doc of list) {
    if (doc.errors.length) {
      const e = doc.errors[0];
      throw usageError(`invalid YAML: ${e.message.split('\n')[0]}`, 'fix the YAML syntax at that line.', { file, line: e.linePos?.[0]?.line });
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw usageError('a Kubernetes manifest document must be a mapping (apiVersion, kind, metadata, ...).', 'remove the stray document or fix its indentation.', { file, line: lineAt(lc, doc.contents as YamlNode, 1) });
    }
    // `kind: List` (kubectl get -o yaml) carries its objects in items.
    if ((value as K8sObject).kind === 'List' && Array.isArray((value as K8sObject).items)) {
      const src = sourceFor(file, doc, lc);
      (value as K8sObject).items.forEach((item: K8sObject, i: number) => {
        const at = src.lineOf(['items', i]);
        out.push({ object: item, source: { file, line: at, lineOf: (p) => src.lineOf(['items', i, ...p]) } });
      });
      continue;
    }
    out.push({ object: value as K8sObject, source: sourceFor(file, doc, lc) });
  }
  return out;
}

/** kind/namespace/name, the identity used to match rendered objects to their sources. */
export function objectKey(o: K8sObject, defaultNamespace = ''): string {
  return `${o.kind ?? ''}/${o.metadata?.namespace ?? defaultNamespace}/${o.metadata?.name ?? ''}`;
}
