// Following a place in the waiting room: the server-push stream GET /api/queue/events, read with
// fetch so it carries Authorization and X-Queue-Token; where that stream is missing or drops, the
// page polls GET /api/queue/status at the pace the server asks for (pollAfterMs / Retry-After).
import { ApiError, call, headersFor, type QueueStatus } from './api.ts';
import { readEvents, sleep } from './sse.ts';

export type Transport = 'push' | 'poll';
export interface QueueWatch {
  onStatus(s: QueueStatus, via: Transport): void;
  /** A problem the fan should see (the token is gone, the server is unreachable). */
  onProblem(err: ApiError): void;
}

const ENDED = new Set(['SOLD_OUT', 'EXPIRED']);
/** Used when the server names no pace: near the front ask often, far back rarely. */
const defaultPace = (s?: QueueStatus) => (s?.state === 'WAITING' && (s.position ?? 0) > 1000 ? 10_000 : 2000);
/** Errors that end the watch: the token is not (or no longer) valid for this user. */
const FATAL = new Set(['QUEUE_TOKEN_INVALID', 'QUEUE_TOKEN_FORBIDDEN', 'QUEUE_TOKEN_NOT_FOUND', 'QUEUE_TOKEN_MISSING', 'QUEUE_RESET', 'UNAUTHENTICATED', 'INVALID_TOKEN']);

function paceOf(s: QueueStatus | undefined, headers?: Headers): number {
  if (s?.pollAfterMs && s.pollAfterMs > 0) return s.pollAfterMs;
  const retryAfter = Number(headers?.get('retry-after'));
  if (retryAfter > 0) return retryAfter * 1000;
  return defaultPace(s);
}

export function watchQueue(token: string, w: QueueWatch): () => void {
  const stop = new AbortController();
  const signal = stop.signal;
  let last: QueueStatus | undefined;
  let pushMissing = false;

  const poll = async (): Promise<number> => {
    const { data, headers } = await call<QueueStatus>('/api/queue/status', { queueToken: token, signal });
    last = data;
    w.onStatus(data, 'poll');
    return paceOf(data, headers);
  };

  const push = async (): Promise<void> => {
    await readEvents('/api/queue/events', headersFor({ queueToken: token }), (m) => {
      try {
        const s = JSON.parse(m.data) as Partial<QueueStatus>;
        // A full status, or an update of some of its fields (e.g. only the position).
        if (s && typeof s === 'object' && ('state' in s || 'position' in s)) {
          const merged = { ...last, ...s } as QueueStatus;
          if (typeof merged.state !== 'string') return;
          last = merged;
          w.onStatus(merged, 'push');
          if (ENDED.has(merged.state)) stop.abort();
        }
      } catch { /* keep-alive or unknown event */ }
    }, signal);
  };

  void (async () => {
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!pushMissing) {
          await push();
          // The server ends the stream after ACTIVE (then one look per pollAfterMs, ~30 s, is
          // enough to notice the turn ending) or when it restarts (then reconnect soon).
          if (!signal.aborted) await sleep(last?.state === 'ACTIVE' ? paceOf(last) : Math.min(paceOf(last), 5000), signal);
          continue;
        }
        const pace = await poll();
        failures = 0;
        if (last && ENDED.has(last.state)) return;
        await sleep(pace, signal);
      } catch (err) {
        if (signal.aborted || (err as Error).name === 'AbortError') return;
        const e = err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err));
        if (FATAL.has(e.code)) { w.onProblem(e); return; }
        if (!pushMissing && (e.code === 'NOT_FOUND' || e.status === 405 || e.status === 501)) { pushMissing = true; continue; }
        failures++;
        if (failures >= 2 || e.code !== 'NETWORK') w.onProblem(e);
        // Back off on trouble (429/503 carry their own pace in Retry-After; we ask the status route).
        await sleep(Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)), signal);
        if (!pushMissing) {
          // Between stream attempts, one paced poll keeps the fan's place alive and the page current.
          await poll().catch(() => undefined);
        }
      }
    }
  })();
  return () => stop.abort();
}
