// Admission pauses while the workers are behind: with more hold jobs waiting for a worker than
// QUEUE_ADMIT_MAX_HOLD_BACKLOG, an admission tick admits nobody; once the backlog is worked off,
// the next tick admits the line in order. No worker runs here, so the backlog stays put.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, userIdSource } from '../support/env.ts';
import { makeConcert } from '../support/fixtures.ts';
import type { Runtime } from '../../src/platform/runtime.ts';
import { createWorkerContext, type WorkerContext } from '../../src/workers/context.ts';
import { processAdmissionTick } from '../../src/workers/admission.processor.ts';
import { JobQueues } from '../../src/jobs/jobs.queues.ts';
import { ensureTopics } from '../../src/platform/kafka.ts';
import { allTopics } from '../../src/domain/events/events.topics.ts';

let rt: Runtime;
let ctx: WorkerContext;
const users = userIdSource();

beforeAll(async () => {
  rt = await testRuntime({ QUEUE_ADMIT_MAX_HOLD_BACKLOG: '2', QUEUE_MAX_ACTIVE: '10', RANKING_CONSUMER: 'false' });
  await ensureTopics(rt.kafka, rt.config, allTopics(rt.config)); // the tick relays queue.admitted
  ctx = createWorkerContext(rt);
});
afterAll(async () => {
  await ctx.close();
  await rt.close();
});

describe('admission and the hold backlog', () => {
  it('admits nobody while more than QUEUE_ADMIT_MAX_HOLD_BACKLOG hold jobs wait, then the line in order once they are gone', async () => {
    const { concert } = await makeConcert(rt.orm.em.fork(), { seats: 10 });
    const fans = users(3);
    for (const u of fans) await ctx.waitingRoom.join(u, concert.id);

    // Three hold jobs nobody works on: one more than the limit.
    const jobs = await Promise.all([1, 2, 3].map((seat) => ctx.queues.enqueue('reservation.hold',
      { userId: 999_999, scheduleId: 1, seatNumbers: [seat] }, { jobId: JobQueues.newUserJobId('reservation.hold') })));
    const paused = await processAdmissionTick(ctx, { concertId: concert.id });
    expect(paused).toMatchObject({ holdBacklog: 3, admitted: 0, waiting: 3 });

    await Promise.all(jobs.map((j) => j.remove()));
    const resumed = await processAdmissionTick(ctx, { concertId: concert.id });
    expect(resumed).toMatchObject({ holdBacklog: 0, admitted: 3, waiting: 0 });
  });
});
