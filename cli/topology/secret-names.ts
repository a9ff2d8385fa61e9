// Which variables hold secrets: the same name test the redactor uses, so what
// devenv hides in logs is also what migrate-check never prints.
import { SECRET_NAME_PATTERN } from '../redact.ts';
import type { EnvEntry } from './env-view.ts';

export function isSecretName(name: string): boolean {
  return SECRET_NAME_PATTERN.test(name);
}

/** The value is secret by name, by source (Secret), or by the variable it was interpolated from. */
export function isSecretEntry(e: EnvEntry): boolean {
  if (isSecretName(e.name)) return true;
  if (e.value.kind === 'secret') return true;
  return e.value.kind === 'interpolation' && e.value.vars.some((v) => isSecretName(v.name));
}
