// Load shedding per queue, from measurements: the backlog is read from BullMQ (at most twice a
// second per queue per process, whatever the submit rate) and the rate at which the queue's jobs
// end is counted from the process's completion subscription (JobEvents).
import type { JobQueues } from './jobs.queues.ts';
import { RATE_WINDOW_SECONDS, type JobEvents } from './jobs.events.ts';
import type { QueueName } from './jobs.catalog.ts';
import { shedVerdict, type ShedPolicy } from './jobs.overload.rules.ts';
import { OverloadedError } from './jobs.errors.ts';

const BACKLOG_TTL_MS = 500;

export class LoadShedder {
  private readonly backlogs = new Map<QueueName, { at: number; value: Promise<number> }>();
  /** Since when each queue's backlog has been above minBacklog (absent: it is not). */
  private readonly busySince = new Map<QueueName, number>();
  private readonly queues: JobQueues;
  private readonly events: JobEvents;
  private readonly policy: ShedPolicy;
  constructor(queues: JobQueues, events: JobEvents, policy: Omit<ShedPolicy, 'measureSeconds'>) {
    this.queues = queues;
    this.events = events;
    this.policy = { ...policy, measureSeconds: RATE_WINDOW_SECONDS };
  }

  /** Throws OVERLOADED when a new job of `queue` could not start within the budget. */
  async check(queue: QueueName): Promise<void> {
    const backlog = await this.backlog(queue);
    const now = Date.now();
    if (backlog <= this.policy.minBacklog) this.busySince.delete(queue);
    else if (!this.busySince.has(queue)) this.busySince.set(queue, now);
    const busyForSeconds = (now - (this.busySince.get(queue) ?? now)) / 1000;
    const verdict = shedVerdict({ backlog, ratePerSecond: this.events.completionRate(queue), busyForSeconds }, this.policy);
    if (verdict.shed) throw new OverloadedError(queue, backlog, verdict.drainSeconds, verdict.retryAfterSeconds);
  }

  private backlog(queue: QueueName): Promise<number> {
    const cached = this.backlogs.get(queue);
    if (cached && Date.now() - cached.at < BACKLOG_TTL_MS) return cached.value;
    const value = this.queues.queues[queue].getJobCounts('wait', 'prioritized').then((c) => (c.wait ?? 0) + (c.prioritized ?? 0));
    this.backlogs.set(queue, { at: Date.now(), value });
    value.catch(() => this.backlogs.delete(queue));
    return value;
  }
}
