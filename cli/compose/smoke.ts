// The end-of-up smoke check: the API answers, the chain has blocks, and the
// webserver is within one block of the miners (it follows them over P2P).
import { DevenvError } from '../errors.ts';

/** Pure verdict, so the rule is tested without a network. */
export function judgeHeights(webserver: number, miners: Record<string, number>): string | null {
  if (webserver <= 0) return `the webserver's chain height is ${webserver}: no block has been mined or received yet`;
  const best = Math.max(...Object.values(miners), 0);
  if (best - webserver > 1) return `the webserver is at height ${webserver} but a miner is at ${best}: it is not following the miners`;
  return null;
}

export function smokeFailure(reason: string): DevenvError {
  return new DevenvError(`smoke check failed: ${reason}.`, { hint: 'run `devenv status` and `devenv logs webserver_1` to see why; the environment was left running for inspection.' });
}
