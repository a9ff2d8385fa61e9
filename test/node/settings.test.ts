import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRateLimitSettings, loadRateLimitSettings } from '../../images/blockchain-node/src/ratelimit/settings.ts';
import { ipMatches } from '../../images/blockchain-node/src/ratelimit/ip-match.ts';

const FILE = '/etc/devenv/Settings.toml';

const UPSTREAM = `
[rate_limiter]
redis_addr = "redis:6379"
ip_whitelist = ["127.0.0.1", "10.244.0.0/16"]

[[rate_limiter.limiter]]
strategy = "ip"
global_bucket = { tokens_count = 100, add_tokens_every = 60 }
buckets_per_value = [{ value = "10.0.0.7", tokens_count = 5, add_tokens_every = 10 }]

[[rate_limiter.limiter]]
strategy = "url"
global_bucket = { tokens_count = 10, add_tokens_every = 120 }
`;

test('parses the upstream format', () => {
  const s = parseRateLimitSettings(UPSTREAM, FILE);
  assert.equal(s.redis, { host: 'redis', port: 6379 });
  assert.equal(s.ipWhitelist, ['127.0.0.1', '10.244.0.0/16']);
  assert.is(s.ipLimiters.length, 1);
  assert.equal(s.ipLimiters[0].global, { tokensCount: 100, windowSeconds: 60 });
  assert.equal(s.ipLimiters[0].perValue.get('10.0.0.7'), { tokensCount: 5, windowSeconds: 10 });
  assert.is(s.warnings.length, 1);
  assert.match(s.warnings[0], /strategy "url".*ignored/, 'unsupported strategies are reported, not dropped silently');
});

const errorCases: [string, string, RegExp][] = [
  ['TOML syntax', '[rate_limiter\nredis_addr = 1', /Settings\.toml: not valid TOML at line 1/],
  ['no table', 'x = 1', /missing the \[rate_limiter\] table/],
  ['redis_addr type', '[rate_limiter]\nredis_addr = 6379', /rate_limiter\.redis_addr must be a string/],
  ['redis_addr shape', '[rate_limiter]\nredis_addr = "redis"', /redis_addr "redis" is not "host:port"/],
  ['whitelist entry', '[rate_limiter]\nredis_addr = "r:1"\nip_whitelist = ["kubelet"]', /ip_whitelist entry "kubelet"/],
  [
    'tokens_count',
    '[rate_limiter]\nredis_addr = "r:1"\n[[rate_limiter.limiter]]\nstrategy = "ip"\nglobal_bucket = { tokens_count = 0, add_tokens_every = 1 }',
    /limiter\[0\]\.global_bucket\.tokens_count must be a whole number >= 1/,
  ],
  [
    'add_tokens_every missing',
    '[rate_limiter]\nredis_addr = "r:1"\n[[rate_limiter.limiter]]\nstrategy = "ip"\nglobal_bucket = { tokens_count = 3 }',
    /add_tokens_every is missing/,
  ],
  ['strategy', '[rate_limiter]\nredis_addr = "r:1"\n[[rate_limiter.limiter]]\nglobal_bucket = { tokens_count = 3, add_tokens_every = 1 }', /limiter\[0\]\.strategy must be a string/],
];

for (const [name, text, expected] of errorCases) {
  test(`clear error: ${name}`, () => {
    assert.throws(() => parseRateLimitSettings(text, FILE), (err: Error) => err.message.startsWith(FILE) && expected.test(err.message));
  });
}

test('a missing file names the path', () => {
  assert.throws(() => loadRateLimitSettings('/nonexistent/Settings.toml'), /RL_SETTINGS_PATH \/nonexistent\/Settings\.toml: cannot read it \(ENOENT\)/);
});

test('whitelist matching: exact addresses, IPv4-mapped IPv6, CIDR', () => {
  assert.ok(ipMatches('::ffff:127.0.0.1', '127.0.0.1'));
  assert.ok(ipMatches('10.244.3.9', '10.244.0.0/16'));
  assert.not.ok(ipMatches('10.245.0.1', '10.244.0.0/16'));
  assert.not.ok(ipMatches('::1', '10.0.0.0/8'));
});

test.run();
