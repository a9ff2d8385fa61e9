// Difficulty retargeting: keeps the block interval near the network's target
// whatever the miners' speed (a busy laptop, a throttled pod). Every
// RETARGET_INTERVAL blocks the required difficulty moves by whole bits (each
// bit doubles the expected work) toward the target, at most
// MAX_RETARGET_STEP_BITS per step so one unlucky window cannot swing it wildly.
// Integer arithmetic only: every node computes the same bits from the chain.
import { MAX_BITS, MIN_BITS } from './pow.ts';

/** Blocks between retargets; the window measured is the last RETARGET_INTERVAL blocks. */
export const RETARGET_INTERVAL = 10;
/** At most 2 bits per retarget: the work changes at most 4x per step. */
export const MAX_RETARGET_STEP_BITS = 2;
export const MIN_TARGET_SECONDS = 1;
export const MAX_TARGET_SECONDS = 3600;

/** True when a block at this height gets a newly computed difficulty. */
export const isRetargetHeight = (height: number): boolean => height > 0 && height % RETARGET_INTERVAL === 0;

/**
 * The difficulty after a window whose blocks took `actualMs` where
 * `expectedMs` was the target. One bit up per halving of the time (blocks
 * came twice as fast as they should), one down per doubling; inside that
 * band nothing changes, so bits do not flap between two neighbours on noise.
 */
export function retargetBits(currentBits: number, actualMs: number, expectedMs: number): number {
  const actual = Math.max(1, actualMs);
  let step = 0;
  // Blocks came too fast: one bit up per halving of the time taken.
  for (let scaled = actual; step < MAX_RETARGET_STEP_BITS && scaled * 2 <= expectedMs; scaled *= 2) step++;
  // Too slow: one bit down per doubling (only when the first loop found nothing).
  for (let scaled = expectedMs; step <= 0 && -step < MAX_RETARGET_STEP_BITS && scaled * 2 <= actual; scaled *= 2) step--;
  return Math.min(MAX_BITS, Math.max(MIN_BITS, currentBits + step));
}
