// A job that can never succeed — a malformed payload or a name no processor knows — fails on its
// first attempt (UnrecoverableError) instead of being retried as if the fault were transient.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Queue } from 'bullmq';
import { testRuntime } from '../support/env.ts';
import type { Runtime } from '../../src/platform/runtime.ts';
import { startWorkers, type RunningWorkers } from '../../src/workers/workers.ts';
import { sleep } from '../support/wait.ts';

let rt: Runtime;
let workers: RunningWorkers;

beforeAll(async () => {
  rt = await testRuntime({ RANKING_CONSUMER: 'false' });
  workers = await startWorkers(rt, { concurrency: 2 });
});
afterAll(async () => {
  await workers.close();
  await rt.close();
});

async function failed(queue: Queue, job: Job): Promise<Job> {
  for (let i = 0; i < 600; i++) {
    const state = await job.getState();
    if (state === 'failed' || state === 'completed') return (await queue.getJob(job.id!))!;
    await sleep(50);
  }
  throw new Error(`job ${job.id} did not end`);
}

describe('poisoned jobs', () => {
  it('a hold job with a malformed payload fails once with MALFORMED_JOB, naming the bad fields', async () => {
    const queue = workers.context.queues.queues.reservations;
    const job = await failed(queue, await queue.add('reservation.hold', { userId: 'x', scheduleId: 1 }, { attempts: 10, backoff: { type: 'fixed', delay: 10 } }));
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^MALFORMED_JOB: .*userId.*seatNumbers/);
  });

  it('a job whose name no processor knows fails once with UNKNOWN_JOB', async () => {
    const queue = workers.context.queues.queues.payments;
    const job = await failed(queue, await queue.add('payment.teleport', { userId: 1 }, { attempts: 10, backoff: { type: 'fixed', delay: 10 } }));
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^UNKNOWN_JOB/);
  });
});
