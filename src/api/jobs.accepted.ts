// The answer to every job submission (202) and the headers submissions share, for the OpenAPI document.
import { z } from 'zod';

export const acceptedSchema = z.object({
  jobId: z.string(), type: z.string(), state: z.literal('queued'),
  statusUrl: z.string().describe('poll with ?waitMs='), eventsUrl: z.string().describe('Server-Sent Events of the job'),
});
export const queueTokenHeader = { 'X-Queue-Token': { description: 'an ACTIVE queue token for the concert', required: true } };
export const idempotencyHeader = {
  'Idempotency-Key': { description: 'repeat-safe submission: the same key and body return the first job, unless it failed (then a fresh attempt)', required: false },
};
/** Refusals every submission may get before anything is enqueued. */
export const refusals = {
  429: { description: 'TOO_MANY_PENDING_JOBS (at most MAX_PENDING_JOBS_PER_USER unfinished jobs) or RATE_LIMITED; see Retry-After' },
  503: { description: 'OVERLOADED: the queue cannot serve a new job in time; see Retry-After' },
};
