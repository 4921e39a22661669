// Graceful close of the HTTP server: stop accepting, let every in-flight request finish, and close
// keep-alive sockets as soon as their current response is sent. `server.close()` alone closes only
// the sockets idle at that instant; a client that keeps its keep-alive socket busy (a fan polling
// a job every few seconds) holds the server open until the shutdown deadline kills the process,
// and every request then in flight is dropped (measured by the fault suite, docs/faults.md).
//
// The bookkeeping is needed only at shutdown, so the request path pays for almost none of it: one
// prepended listener that tests a boolean, and one Set entry per TCP connection (not per request;
// a kept-alive client sends hundreds of requests on one). The responses in flight are found at
// close time by walking the open sockets.
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const stream = Symbol('encore.drain.stream');
const closingTag = Symbol('encore.drain.closing');

type Tagged = ServerResponse & { [stream]?: true; [closingTag]?: true };
/**
 * The response a socket is writing. Node keeps it in the undocumented `_httpMessage` (its own
 * `closeIdleConnections()` reads it the same way); read only at shutdown, and a missing one only
 * means the socket is left to the idle sweep.
 */
type HttpSocket = Socket & { _httpMessage?: Tagged | null };

/**
 * Marks `res` as a long-lived stream (Server-Sent Events): at shutdown it is ended rather than
 * waited for, since it never ends by itself (the client's EventSource reconnects, to another
 * process). Call it when the stream's headers are written. A stream opened on a kept-alive socket
 * after shutdown began is ended right after its first event.
 */
export function endOnShutdown(res: ServerResponse): void {
  const tagged = res as Tagged;
  tagged[stream] = true;
  if (tagged[closingTag]) setImmediate(() => res.end());
}

/** Installs the bookkeeping on `server`; call the returned function once, on shutdown. */
export function drainOnClose(server: Server): () => Promise<void> {
  const sockets = new Set<Socket>();
  let closing = false;
  let sweepQueued = false;
  // Sockets whose response ended after the close: one sweep per turn of the loop however many end
  // together (thousands of SSE streams end at once), not one per response.
  const sweepSoon = () => {
    if (sweepQueued) return;
    sweepQueued = true;
    setImmediate(() => {
      sweepQueued = false;
      server.closeIdleConnections();
    });
  };
  function forget(this: Socket) { sockets.delete(this); }
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', forget);
  });
  // Prepended: runs before the app, so even a request already queued on a kept-alive socket is told.
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (!closing) return;
    res.setHeader('connection', 'close');
    (res as Tagged)[closingTag] = true;
    res.once('close', sweepSoon);
  });
  return () => new Promise<void>((resolve) => {
    closing = true;
    server.close(() => resolve()); // stops listening and closes the sockets idle now
    for (const socket of sockets) {
      const res = (socket as HttpSocket)._httpMessage;
      if (!res || res.writableEnded) continue; // idle: closed just now, or by the next sweep
      // Not answered yet: the answer says `Connection: close`, so Node ends the socket after it
      // and the client does not send another request on it.
      if (!res.headersSent) res.setHeader('connection', 'close');
      else if (res[stream]) res.end();
      // Otherwise a body still being written: its socket is closed by the sweep once it is sent.
      res.once('close', sweepSoon);
    }
    server.closeIdleConnections();
  });
}
