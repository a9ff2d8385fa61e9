// A process that competes for data-directory locks on command, so a test can
// start many acquisitions at the same instant. stdin: `acquire <dir>` or
// `release`; stdout: `locked`, `refused`, `error <message>` or `released`.
import { createInterface } from 'node:readline';
import { acquireDirLock, LockError, type DirLock } from '../../../images/blockchain-node/src/store/dir-lock.ts';

let held: DirLock | null = null;
const say = (line: string) => process.stdout.write(line + '\n');

createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, dir] = line.split(' ');
  if (cmd === 'acquire') {
    acquireDirLock(dir).then(
      (lock) => {
        held = lock;
        say('locked');
      },
      (err) => say(err instanceof LockError ? 'refused' : `error ${(err as Error).message}`),
    );
  } else if (cmd === 'release') {
    const lock = held;
    held = null;
    void (lock ? lock.release() : Promise.resolve()).then(() => say('released'));
  }
});
say('ready');
