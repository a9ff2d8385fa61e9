// API keys: the wallet routes take the wallet or the admin key, the admin
// routes only the admin key. Keys are compared in constant time and never
// logged or echoed.
import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from './envelope.ts';

export type Access = 'public' | 'wallet' | 'admin';

export interface ApiKeys {
  admin?: string;
  wallet?: string;
}

const digest = (s: string) => createHash('sha256').update(s).digest();
const same = (a: string, b: string | undefined): boolean => b !== undefined && timingSafeEqual(digest(a), digest(b));

/** Throws 401 for a missing or unknown key, 403 for the wallet key on an admin route. */
export function authorize(access: Access, presented: string | undefined, keys: ApiKeys): void {
  if (access === 'public') return;
  if (!presented) throw new HttpError(401, 'missing X-API-Key header');
  if (same(presented, keys.admin)) return;
  if (same(presented, keys.wallet)) {
    if (access === 'wallet') return;
    throw new HttpError(403, 'the wallet key cannot use admin routes');
  }
  throw new HttpError(401, 'invalid API key');
}
