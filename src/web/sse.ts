// Server-Sent Events read with fetch() streaming rather than EventSource, because EventSource
// cannot send headers and the streams need Authorization and X-Queue-Token.
import { errorOf, networkError } from './api.ts';

export interface SseMessage { event: string; data: string }

/**
 * Opens `url` and calls `onMessage` for each event until the server ends the stream or `signal`
 * aborts. Rejects with ApiError when the server answers with an error status (404 when the route
 * does not exist, so callers can fall back to polling) or cannot be reached.
 */
export async function readEvents(url: string, headers: Record<string, string>, onMessage: (m: SseMessage) => void, signal: AbortSignal): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { ...headers, accept: 'text/event-stream' }, signal, cache: 'no-store' });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw networkError();
  }
  if (!res.ok) throw await errorOf(res);
  if (!res.body || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    throw networkError();
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let nl: number;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
        if (line === '') {
          if (data.length) onMessage({ event, data: data.join('\n') });
          event = 'message';
          data = [];
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const v = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = v;
          else if (field === 'data') data.push(v);
        }
      }
    }
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw networkError();
  } finally {
    reader.releaseLock();
  }
}

export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
