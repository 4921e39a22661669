// Waiting for a submitted job (hold, payment, top-up): the result is pushed on
// GET /api/jobs/:id/events where the server has it, else long-polled with ?waitMs=.
import { ApiError, call, headersFor, type JobView } from './api.ts';
import { readEvents } from './sse.ts';

const FINISHED = new Set(['succeeded', 'failed']);

async function pushed(jobId: string, signal: AbortSignal): Promise<JobView | undefined> {
  let last: JobView | undefined;
  const local = new AbortController();
  signal.addEventListener('abort', () => local.abort(), { once: true });
  await readEvents(`/api/jobs/${encodeURIComponent(jobId)}/events`, headersFor(), (m) => {
    try {
      const view = JSON.parse(m.data) as JobView;
      if (view && typeof view.state === 'string') last = view;
      if (last && FINISHED.has(last.state)) local.abort();
    } catch { /* a keep-alive or an event we do not know */ }
  }, local.signal).catch((err: Error) => {
    if (err.name !== 'AbortError' || !last || !FINISHED.has(last.state)) throw err;
  });
  return last && FINISHED.has(last.state) ? last : undefined;
}

async function polled(jobId: string, signal: AbortSignal): Promise<JobView> {
  for (;;) {
    const { data } = await call<JobView>(`/api/jobs/${encodeURIComponent(jobId)}?waitMs=10000`, { signal });
    if (FINISHED.has(data.state)) return data;
  }
}

/** The job's final view. Business outcomes (seat taken, short balance) come back as state "failed". */
export async function waitForJob(jobId: string, signal: AbortSignal = new AbortController().signal): Promise<JobView> {
  try {
    const view = await pushed(jobId, signal);
    if (view) return view;
  } catch (err) {
    // NOT_FOUND is the route missing (a server without job streams); anything else but a lost
    // connection is a real answer about the job.
    if (!(err instanceof ApiError) || !(err.code === 'NOT_FOUND' || err.code === 'NETWORK' || err.status === 405)) throw err;
  }
  return polled(jobId, signal);
}
