// A minimal Server-Sent Events writer: named events with JSON data, comment heartbeats, and a
// close that ends the response once.
import type { Response } from 'express';
import { endOnShutdown } from './drain.ts';

export interface SseStream {
  send(event: string, data: unknown): void;
  comment(text: string): void;
  end(): void;
  readonly closed: boolean;
}

export function openSse(res: Response): SseStream {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no', // nginx: pass events through at once
  });
  res.flushHeaders();
  endOnShutdown(res);
  let closed = false;
  res.on('close', () => { closed = true; });
  return {
    send(event, data) {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    comment(text) {
      if (!closed) res.write(`: ${text}\n\n`);
    },
    end() {
      if (!closed) res.end();
      closed = true;
    },
    get closed() { return closed; },
  };
}
