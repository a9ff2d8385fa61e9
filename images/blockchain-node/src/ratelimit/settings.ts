// Settings.toml of the rate limiter (the upstream axum_rate_limiter format):
//   [rate_limiter]
//   redis_addr = "redis:6379"
//   ip_whitelist = ["127.0.0.1"]
//   [[rate_limiter.limiter]]
//   strategy = "ip"
//   global_bucket = { tokens_count = 100, add_tokens_every = 60 }
//   buckets_per_value = [{ value = "10.0.0.7", tokens_count = 5, add_tokens_every = 60 }]
// Every error names the file and the key. Limiters this node does not
// implement are reported as warnings, never dropped silently.
import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
import { parseHostPort, type HostPort } from '../config/identity.ts';
import { StartupError } from '../config/startup-error.ts';
import { isValidWhitelistEntry } from './ip-match.ts';

export interface Bucket {
  tokensCount: number;
  windowSeconds: number;
}

export interface IpLimiter {
  global?: Bucket;
  perValue: Map<string, Bucket>;
}

export interface RateLimitSettings {
  file: string;
  redis: HostPort;
  ipWhitelist: string[];
  ipLimiters: IpLimiter[];
  warnings: string[];
}

const SUPPORTED_KEYS = new Set(['redis_addr', 'ip_whitelist', 'limiter']);

export function loadRateLimitSettings(file: string): RateLimitSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new StartupError(`RL_SETTINGS_PATH ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseRateLimitSettings(text, file);
}

export function parseRateLimitSettings(text: string, file: string): RateLimitSettings {
  const fail = (what: string): never => {
    throw new StartupError(`${file}: ${what}`);
  };
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) fail(`not valid TOML at line ${err.line}, column ${err.column}: ${err.message.split('\n')[0]}`);
    throw err;
  }
  const rl = doc.rate_limiter;
  if (typeof rl !== 'object' || rl === null || Array.isArray(rl)) return fail('missing the [rate_limiter] table');
  const table = rl as Record<string, unknown>;
  const warnings: string[] = [];
  for (const key of Object.keys(table)) {
    if (!SUPPORTED_KEYS.has(key)) warnings.push(`${file}: rate_limiter.${key} is not used by this node`);
  }

  if (typeof table.redis_addr !== 'string') fail('rate_limiter.redis_addr must be a string "host:port"');
  const redisAddr = (table.redis_addr as string).replace(/^redis:\/\//, '').replace(/\/.*$/, '');
  let redis: HostPort;
  try {
    redis = parseHostPort(redisAddr, 'redis_addr');
  } catch {
    return fail(`rate_limiter.redis_addr "${table.redis_addr as string}" is not "host:port"`);
  }

  const wl = table.ip_whitelist ?? [];
  if (!Array.isArray(wl) || wl.some((e) => typeof e !== 'string')) fail('rate_limiter.ip_whitelist must be a list of IP address strings');
  const ipWhitelist = (wl as string[]).map((e) => e.trim());
  for (const e of ipWhitelist) if (!isValidWhitelistEntry(e)) fail(`rate_limiter.ip_whitelist entry "${e}" is not an IP address or IPv4 CIDR`);

  const limiters = table.limiter ?? [];
  if (!Array.isArray(limiters)) fail('rate_limiter.limiter must be an array of tables ([[rate_limiter.limiter]])');
  const ipLimiters: IpLimiter[] = [];
  (limiters as unknown[]).forEach((raw, i) => {
    const where = `rate_limiter.limiter[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`${where} must be a table`);
    const l = raw as Record<string, unknown>;
    if (typeof l.strategy !== 'string') return fail(`${where}.strategy must be a string such as "ip"`);
    if (l.strategy !== 'ip') {
      warnings.push(`${file}: ${where} uses strategy "${l.strategy}", which this node does not implement; it is ignored`);
      return;
    }
    const limiter: IpLimiter = { perValue: new Map() };
    if (l.global_bucket !== undefined) limiter.global = bucket(l.global_bucket, `${where}.global_bucket`, fail);
    const per = l.buckets_per_value ?? [];
    if (!Array.isArray(per)) return fail(`${where}.buckets_per_value must be a list`);
    per.forEach((p: unknown, j: number) => {
      const w = `${where}.buckets_per_value[${j}]`;
      const value = (p as Record<string, unknown>)?.value;
      if (typeof value !== 'string') return fail(`${w}.value must be an IP address string`);
      limiter.perValue.set(value, bucket(p, w, fail));
    });
    if (!limiter.global && limiter.perValue.size === 0) warnings.push(`${file}: ${where} has no bucket and limits nothing`);
    ipLimiters.push(limiter);
  });
  if (ipLimiters.length === 0) warnings.push(`${file}: no limiter with strategy "ip": requests are not rate limited`);
  return { file, redis, ipWhitelist, ipLimiters, warnings };
}

function bucket(raw: unknown, where: string, fail: (what: string) => never): Bucket {
  if (typeof raw !== 'object' || raw === null) return fail(`${where} must be a table { tokens_count = N, add_tokens_every = SECONDS }`);
  const b = raw as Record<string, unknown>;
  const count = Number(b.tokens_count);
  const every = Number(b.add_tokens_every);
  if (typeof b.tokens_count !== 'number' && typeof b.tokens_count !== 'bigint') fail(`${where}.tokens_count is missing or not a number`);
  if (!Number.isInteger(count) || count < 1) fail(`${where}.tokens_count must be a whole number >= 1, got ${String(b.tokens_count)}`);
  if (typeof b.add_tokens_every !== 'number' && typeof b.add_tokens_every !== 'bigint') fail(`${where}.add_tokens_every is missing or not a number`);
  if (!(every > 0)) fail(`${where}.add_tokens_every must be a number of seconds > 0, got ${String(b.add_tokens_every)}`);
  return { tokensCount: count, windowSeconds: every };
}
