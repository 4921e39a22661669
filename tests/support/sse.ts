// Reads a Server-Sent Events response to its end (or until `stopAfter` events), as a browser would.
export interface SseEvent { event: string; data: unknown; at: number }

export async function readSse(url: string, token: string, opts: { onOpen?: () => void; timeoutMs?: number } = {}): Promise<{ status: number; events: SseEvent[]; comments: number }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: AbortSignal.timeout(opts.timeoutMs ?? 170_000) });
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) return { status: res.status, events: [], comments: 0 };
  opts.onOpen?.();
  const events: SseEvent[] = [];
  let comments = 0;
  for await (const block of sseBlocks(res.body!)) {
    if (block.comment) { comments++; continue; }
    events.push({ event: block.event, data: block.data, at: Date.now() });
  }
  return { status: res.status, events, comments };
}

/** The blocks of an event stream as they arrive: a comment (`: …`), or an event with its JSON data. */
export async function* sseBlocks(body: AsyncIterable<unknown>): AsyncGenerator<{ comment: true } | { comment: false; event: string; data: unknown }> {
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let i;
    while ((i = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      if (block.startsWith(':')) { yield { comment: true }; continue; }
      const data = /^data: (.*)$/m.exec(block)?.[1];
      yield { comment: false, event: /^event: (.*)$/m.exec(block)?.[1] ?? 'message', data: data === undefined ? undefined : JSON.parse(data) };
    }
  }
}
