// Load shedding, as a pure decision: a queue whose backlog cannot be finished within the budget
// (by default the hold time, after which a hold or the payment of one is useless) at the rate its
// workers have been finishing jobs is overloaded, and new submits are better refused at once than
// queued behind work that cannot be served in time.

export interface QueueLoad {
  /** Jobs waiting to start. */
  backlog: number;
  /** Jobs of this queue finished per second over the last `measureSeconds` (measured). */
  ratePerSecond: number;
  /** For how long the backlog has been above `minBacklog` without a break, seconds. */
  busyForSeconds: number;
}

export interface ShedPolicy {
  /** Longest acceptable wait for a new job, seconds. */
  budgetSeconds: number;
  /** A line this short is always accepted. */
  minBacklog: number;
  /**
   * The window the rate is measured over. Until the queue has been busy that long the rate says
   * nothing about what the workers can do (a burst into an idle queue has no completions yet:
   * 500 holds at once were refused before this rule), so the queue accepts.
   */
  measureSeconds: number;
}

export type ShedVerdict = { shed: false } | { shed: true; drainSeconds: number | null; retryAfterSeconds: number };

/** Retry-After when nothing finishes at all (workers down or stuck): come back in a few seconds. */
const STALLED_RETRY_SECONDS = 5;
const MAX_RETRY_SECONDS = 60;

export function shedVerdict(load: QueueLoad, policy: ShedPolicy): ShedVerdict {
  if (load.backlog <= policy.minBacklog || load.busyForSeconds < policy.measureSeconds) return { shed: false };
  if (load.ratePerSecond <= 0) return { shed: true, drainSeconds: null, retryAfterSeconds: STALLED_RETRY_SECONDS };
  const drainSeconds = load.backlog / load.ratePerSecond;
  if (drainSeconds <= policy.budgetSeconds) return { shed: false };
  // When the excess will have drained, a new job would fit the budget again.
  const retryAfterSeconds = Math.min(MAX_RETRY_SECONDS, Math.max(1, Math.ceil(drainSeconds - policy.budgetSeconds)));
  return { shed: true, drainSeconds, retryAfterSeconds };
}
