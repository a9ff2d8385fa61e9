// Every object against the Kubernetes OpenAPI schema of its kind, offline,
// with the validators kubernetes-models generates from that schema.
import { createRequire } from 'node:module';
import type { FieldPath, ManifestObject } from '../../manifests/objects.ts';
import { finding, type ManifestFinding, type ManifestRule } from './rule.ts';
import { timed } from '../../timing.ts';

type Validator = (data: unknown) => void;
// The CommonJS build of kubernetes-models: one kind pulls in a hundred small
// schema modules, which `require` loads faster than the ESM loader links them.
const requireModel = createRequire(import.meta.url);

function loadModel(apiVersion: string, kind: string): Validator | null {
  try {
    const Model = requireModel(`kubernetes-models/${apiVersion}/${kind}`)[kind];
    return typeof Model === 'function' ? (data: unknown) => new Model(data).validate() : null;
  } catch {
    return null;
  }
}
const cache = new Map<string, Promise<Validator | null>>();

/** The validator of an apiVersion/kind, or null when kubernetes-models has no such kind. */
export function validatorFor(apiVersion: string, kind: string): Promise<Validator | null> {
  const key = `${apiVersion}/${kind}`;
  let v = cache.get(key);
  if (!v) {
    // Both parts become a module path: only plain names may get that far.
    v = /^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) && /^[A-Z][A-Za-z0-9]*$/.test(kind) ? Promise.resolve().then(() => timed('schemas', () => loadModel(apiVersion, kind))) : Promise.resolve(null);
    cache.set(key, v);
  }
  return v;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, any>;
}

function pathOf(instancePath: string): FieldPath {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function dotted(path: FieldPath): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : String(seg)), '');
}

function explain(kind: string, path: FieldPath): string {
  const fields = path.filter((s) => typeof s === 'string').join('.');
  return `see \`kubectl explain ${kind.toLowerCase()}${fields ? '.' + fields : ''}\`.`;
}

export function describeSchemaError(kind: string, e: AjvError): { path: FieldPath; message: string; fix: string } {
  const path = pathOf(e.instancePath);
  const where = dotted(path) || kind;
  switch (e.keyword) {
    case 'type':
      return { path, message: `${where} must be ${/^[aeiou]/.test(e.params.type) ? 'an' : 'a'} ${e.params.type}.`, fix: `write ${where} as ${e.params.type === 'integer' ? 'a number without quotes' : `a ${e.params.type}`}; ${explain(kind, path)}` };
    case 'required': {
      const missing = e.params.missingProperty;
      return { path, message: `${where} is missing the required field \`${missing}\`.`, fix: `add ${missing} under ${where}; ${explain(kind, [...path, missing])}` };
    }
    case 'enum':
      return { path, message: `${where} must be one of ${(e.params.allowedValues ?? []).join(', ')}.`, fix: `use one of the allowed values; ${explain(kind, path)}` };
    case 'format':
      return { path, message: `${where} must match the format "${e.params.format}".`, fix: `fix the value; ${explain(kind, path)}` };
    default:
      return { path, message: `${where} ${e.message ?? 'is invalid'}.`, fix: explain(kind, path) };
  }
}

export async function schemaFindings(at: ManifestObject): Promise<ManifestFinding[]> {
  const { apiVersion, kind } = at.object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return [finding('schema', 'error', at, [], 'the object has no apiVersion or kind.', 'add apiVersion and kind (e.g. apiVersion: apps/v1, kind: StatefulSet).')];
  }
  const validate = await validatorFor(apiVersion, kind);
  if (!validate) {
    return [finding('schema-unknown-kind', 'warn', at, ['kind'], `${apiVersion} ${kind} is not a built-in Kubernetes kind; its fields were not checked.`, 'check the apiVersion and kind spelling; custom resources are not validated offline.')];
  }
  try {
    validate(at.object);
    return [];
  } catch (err: any) {
    const errors: AjvError[] = Array.isArray(err?.errors) ? err.errors : [{ instancePath: '', keyword: 'unknown', params: {}, message: String(err?.message ?? err) }];
    // oneOf/anyOf alternatives repeat the same place; one finding per path is enough.
    const seen = new Set<string>();
    const out: ManifestFinding[] = [];
    for (const e of errors) {
      const d = describeSchemaError(kind, e);
      const key = `${d.path.join('/')}|${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(finding('schema', 'error', at, d.path, d.message, d.fix));
    }
    return out;
  }
}

export const schemaRule: ManifestRule = {
  id: 'schema',
  description: 'Every object matches the Kubernetes OpenAPI schema of its apiVersion and kind.',
  async check(ctx) {
    return (await Promise.all(ctx.objects.map(schemaFindings))).flat();
  },
};
