// kafkajs 2.2.4's request queue keeps a 1 ms timer loop running on every broker connection, for
// ever: `scheduleCheckPendingRequests()` computes `throttledUntil - Date.now()` with the default
// `throttledUntil = -1`, so with nothing pending and no throttling it calls `setTimeout` with about
// -1.8e12 ms, which Node clamps to 1 ms; the timer checks an empty queue and schedules itself
// again. Measured on one idle producer connection to the local broker for 5 s: 4,528 wake-ups and
// 144 ms of CPU (about 3% of a core per connection, on a 2-core machine); with this fix 0 wake-ups
// and 5 ms. Node 24 also prints a
// `TimeoutNegativeWarning` for it, which is how it showed (docs/faults.md).
//
// Upstream: tulios/kafkajs#1751 (the warning), PRs #1755/#1756/#1768 (open or closed unmerged;
// kafkajs has had no release since 2.2.4). Clamping the delay, as those PRs do, only silences the
// warning; as the review on #1768 points out, not scheduling the check at all when nothing is
// pending and nothing is throttled also ends the loop. That is safe because every path that
// makes a check useful schedules or runs one itself: `push()` schedules one when it enqueues,
// and a response or a timeout (`fulfillRequest`, the request's timeout) runs it. Without
// patch-package, the method is replaced on the class at start, for exactly the version it was
// read from; any other version is left alone (and logged, so the patch is revisited).
import { createRequire } from 'node:module';
import type { Logger } from './logger.ts';

const PATCHED_VERSION = '2.2.4';
/** kafkajs's own CHECK_PENDING_REQUESTS_INTERVAL (src/network/requestQueue/index.js). */
const CHECK_PENDING_REQUESTS_INTERVAL = 10;

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

let applied: 'patched' | 'skipped' | undefined;

/** Replaces kafkajs's `RequestQueue.scheduleCheckPendingRequests` once per process (see above). */
export function stopIdleRequestQueueLoop(logger: Logger): void {
  if (applied) return;
  const require = createRequire(import.meta.url);
  const { version } = require('kafkajs/package.json') as { version: string };
  const RequestQueueClass = require('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueue } | undefined;
  if (version !== PATCHED_VERSION || typeof RequestQueueClass?.prototype.scheduleCheckPendingRequests !== 'function') {
    applied = 'skipped';
    logger.warn({ version }, `kafkajs is not ${PATCHED_VERSION}: its request-queue fix (src/platform/kafka.request-queue.ts) is not applied; check whether it is still needed`);
    return;
  }
  RequestQueueClass.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue) {
    if (this.throttleCheckTimeoutId) return;
    const untilUnthrottled = this.throttledUntil - Date.now();
    let delay: number;
    if (this.pending.length > 0) delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL;
    else if (untilUnthrottled > 0) delay = untilUnthrottled; // as upstream: check when the throttle ends
    else return; // nothing to check: the fix
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, delay);
  };
  applied = 'patched';
}
