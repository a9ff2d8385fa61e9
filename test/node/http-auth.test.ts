import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { authorize } from '../../images/blockchain-node/src/http/auth.ts';
import { HttpError } from '../../images/blockchain-node/src/http/envelope.ts';
import { formatLine, parseLogLevel } from '../../images/blockchain-node/src/log.ts';

const keys = { admin: 'admin-secret', wallet: 'wallet-secret' };
const status = (f: () => void): number | 'ok' => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return (e as HttpError).status;
  }
};

test('wallet routes take the wallet or the admin key', () => {
  assert.is(status(() => authorize('wallet', 'wallet-secret', keys)), 'ok');
  assert.is(status(() => authorize('wallet', 'admin-secret', keys)), 'ok');
  assert.is(status(() => authorize('wallet', undefined, keys)), 401);
  assert.is(status(() => authorize('wallet', 'guess', keys)), 401);
});

test('admin routes: admin key only; the wallet key is forbidden (403)', () => {
  assert.is(status(() => authorize('admin', 'admin-secret', keys)), 'ok');
  assert.is(status(() => authorize('admin', 'wallet-secret', keys)), 403);
  assert.is(status(() => authorize('admin', '', keys)), 401);
  assert.is(status(() => authorize('admin', 'admin-secret', {})), 401, 'no key configured: nothing opens the route');
});

test('errors never echo the presented key', () => {
  try {
    authorize('admin', 'super-secret-typo', keys);
  } catch (e) {
    assert.not.match((e as Error).message, 'super-secret-typo');
  }
});

test('log lines: one line, quoted values, level parsing', () => {
  const line = formatLine('info', 'peer\nconnected', { peer: 'miner_1:2001', reason: 'two words' }, new Date(0));
  assert.is(line, '1970-01-01T00:00:00.000Z INFO  peer connected peer=miner_1:2001 reason="two words"');
  assert.is(parseLogLevel('info,hyper=warn'), 'info');
  assert.is(parseLogLevel('TRACE'), 'debug');
  assert.is(parseLogLevel(undefined), 'info');
});

test.run();
