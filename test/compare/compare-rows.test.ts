// devenv compare's verdicts from observations, without a cluster: the same
// observation on both sides is `same` everywhere; a changed rate limit or a
// missing peer turns exactly the matching rows; an accept-file entry turns a
// difference into `accepted`; a side that cannot be seen is `unchecked` (exit 1).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareRows, expectedPeers, logicalPeer, runtimeNode, type SideObservation } from '../../cli/compare/observations.ts';
import { acceptRows, summarize } from '../../cli/compare/rows.ts';
import { formatCompareText } from '../../cli/compare/format.ts';

const detail = (role: string, startup: string, peers: string[], rate?: number) => ({
  role,
  startup,
  instance: 1,
  blockTargetSeconds: 5,
  connectedPeers: peers.map((addr) => ({ addr, direction: 'outbound' })),
  rateLimit: rate === undefined ? null : { ipWhitelist: ['127.0.0.1'], limiters: [{ global: { tokensCount: rate, windowSeconds: 1 }, perValue: {} }] },
});

function side(opts: { rate?: number; webPeers?: string[]; limitHeader?: string } = {}): SideObservation {
  const aliases = new Map([['miner_1', 'miner_1'], ['miner_2', 'miner_2'], ['webserver_1', 'webserver_1'], ['10.0.0.5', 'miner_1']]);
  return {
    api: [
      { name: 'GET /api/v1/blockchain', status: 200, envelope: ['data', 'error', 'success'], dataFields: ['height', 'tip'] },
      { name: 'GET an unknown route (404)', status: 404, envelope: ['data', 'error', 'success'], dataFields: [] },
    ],
    rateLimit: { limit: opts.limitHeader ?? '100', sent: 151, ok: 100, limited: 51, headersOn429: ['retry-after', 'x-ratelimit-limit'] },
    chain: { heightStart: 10, heightEnd: 12, seconds: 8, targetSeconds: 5, medianInterval: 4.2, webserverLag: 0 },
    nodes: [
      runtimeNode('m1', 'miner_1', { ready: true, height: 12, detail: detail('miner', 'seed', ['miner_2:2001', 'webserver_1:2001']) }, aliases),
      runtimeNode('m2', 'miner_2', { ready: true, height: 12, detail: detail('miner', 'join', ['miner_1:2001']) }, aliases),
      runtimeNode('w1', 'webserver_1', { ready: true, height: 12, detail: detail('webserver', 'join', opts.webPeers ?? ['10.0.0.5:2001'], opts.rate ?? 100) }, aliases),
    ],
  };
}

const files = new Map([['miner_2', [{ label: 'miner_1', anyOf: ['miner_1'] }]], ['webserver_1', [{ label: 'miner_1', anyOf: ['miner_1'] }]]]);
const expected = { compose: files, kubernetes: files };
const opts = { api: 'webserver_1', expectedPeers: expected };

test('the same observations on both sides: every row same, exit 0', () => {
  const rows = compareRows(side(), side(), opts);
  assert.ok(rows.length >= 15, String(rows.length));
  assert.equal(rows.filter((r) => r.verdict !== 'same').map((r) => r.subject), []);
  assert.is(summarize(rows).exitCode, 0);
});

test('a rate limit changed on one side turns exactly the rate-limit rows that show it into different (exit 4)', () => {
  const rows = compareRows(side(), side({ rate: 5, limitHeader: '5' }), opts);
  const differ = rows.filter((r) => r.verdict === 'different').map((r) => `${r.check}/${r.subject}`);
  assert.equal(differ, ['rate-limit/limit per client (X-RateLimit-Limit)', 'config/rate limits in force']);
  assert.is(summarize(rows).exitCode, 4);
});

test('a node that should dial its peer and does not: the peers row is different, naming the missing edge', () => {
  const rows = compareRows(side(), side({ webPeers: [] }), opts);
  const peers = rows.filter((r) => r.check === 'peers' && r.verdict === 'different');
  assert.is(peers.length, 1);
  assert.is(peers[0].service, 'webserver_1');
  assert.match(peers[0].note ?? '', /not connected at run time to a peer its files make it dial: Kubernetes w1 -> miner_1/);
});

test('a Kubernetes node that dials a Service is satisfied by any replica behind it; a Compose node that dials one service only by that one', () => {
  const kubernetes = new Map([['webserver_1', [{ label: 'any of miner_1, miner_2', anyOf: ['miner_1', 'miner_2'] }]]]);
  const viaService = compareRows(side({ webPeers: ['10.0.0.5:2001'] }), side({ webPeers: ['miner_2:2001'] }), { api: 'webserver_1', expectedPeers: { compose: files, kubernetes } });
  assert.equal(viaService.filter((r) => r.check === 'peers' && r.verdict !== 'same'), []);
  const composeMissing = compareRows(side({ webPeers: ['miner_2:2001'] }), side({ webPeers: ['miner_2:2001'] }), { api: 'webserver_1', expectedPeers: { compose: files, kubernetes } });
  assert.equal(composeMissing.filter((r) => r.check === 'peers' && r.verdict === 'different').map((r) => r.service), ['webserver_1']);
});

test('an accept-file entry for a runtime rule makes a difference accepted (exit 0); other rows stay', () => {
  const rows = compareRows(side(), side({ rate: 5, limitHeader: '5' }), opts);
  const loc = { file: 'migrate-check.accept.yaml', line: 3 };
  const accepted = acceptRows(rows, [
    { rule: 'runtime-rate-limit', service: 'webserver_1', reason: 'Kubernetes limits harder', loc },
    { rule: 'runtime-config', service: 'webserver_1', subject: 'rate limits*', reason: 'same', loc },
  ]);
  assert.equal(accepted.filter((r) => r.verdict === 'accepted').length, 2);
  assert.is(summarize(accepted).exitCode, 0);
  assert.match(formatCompareText(accepted, summarize(accepted), { compose: 'c', kubernetes: 'k' }), /accepted: Kubernetes limits harder \(migrate-check\.accept\.yaml:3\)/);
});

test('a side that cannot be checked: its rows are unchecked and the run exits 1, saying why', () => {
  const k = { ...side(), api: new Error('connect ECONNREFUSED 127.0.0.1:18080') };
  const rows = compareRows(side(), k, opts);
  const api = rows.filter((r) => r.check === 'api');
  assert.ok(api.every((r) => r.verdict === 'unchecked'));
  assert.is(summarize(rows).exitCode, 1);
  assert.match(formatCompareText(rows, summarize(rows), { compose: 'c', kubernetes: 'k' }), /not checked: connect ECONNREFUSED/);
});

test('text output fits 80 columns', () => {
  const rows = compareRows(side(), side({ rate: 5, limitHeader: '5', webPeers: [] }), opts);
  const text = formatCompareText(rows, summarize(rows), { compose: 'Compose project x', kubernetes: 'kind cluster y' });
  const wide = text.split('\n').filter((l) => l.length > 80);
  assert.equal(wide, []);
});

test('peer addresses map to logical names: host:port, FQDN of a pod, IP; unknown stay as they are', () => {
  const aliases = new Map([['miner-0', 'miner_1'], ['10.244.0.7', 'miner_2']]);
  assert.is(logicalPeer('miner-0.miner-headless.ns.svc.cluster.local:2001', aliases), 'miner_1');
  assert.is(logicalPeer('10.244.0.7:2001', aliases), 'miner_2');
  assert.is(logicalPeer('[fd00::1]:2001', aliases), 'fd00::1');
});

test('the expected graphs come from migrate-check\'s edges of each side, through the pairing', () => {
  const report = {
    pairings: [
      { compose: 'miner_1', kubernetes: { name: 'miner', ordinal: 0 } },
      { compose: 'miner_2', kubernetes: { name: 'miner', ordinal: 1 } },
      { compose: 'webserver_1', kubernetes: { name: 'webserver', ordinal: 0 } },
    ],
    peers: {
      compose: [{ from: 'miner_2', targets: [{ kind: 'workload', workload: 'miner', ordinal: 0 as const }] }, { from: 'miner_1', targets: [] }],
      kubernetes: [{ from: 'webserver-0', targets: [{ kind: 'workload', workload: 'miner', ordinal: '*' as const }] }],
    },
  };
  const graphs = expectedPeers(report);
  assert.equal([...graphs.compose], [['miner_2', [{ label: 'miner_1', anyOf: ['miner_1'] }]]]);
  assert.equal([...graphs.kubernetes], [['webserver_1', [{ label: 'any of miner_1, miner_2', anyOf: ['miner_1', 'miner_2'] }]]]);
});

test.run();
