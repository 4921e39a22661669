// Graceful close of the HTTP server: stop accepting, let every in-flight request finish, and close
// keep-alive sockets as soon as their current response is sent. `server.close()` alone closes only
// the sockets idle at that instant; a client that keeps its keep-alive socket busy (a fan polling
// a job every few seconds) holds the server open until the shutdown deadline kills the process,
// and every request then in flight is dropped (measured by the fault suite, docs/faults.md).
import type { Server, ServerResponse } from 'node:http';

/** Installs the bookkeeping on `server`; call the returned function once, on shutdown. */
export function drainOnClose(server: Server): () => Promise<void> {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  // Prepended: runs before the app, so even a request already queued on a kept-alive socket is told.
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (closing) res.setHeader('connection', 'close');
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // Its socket may now be idle: close it rather than wait for the keep-alive timeout.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });
  return () => new Promise<void>((resolve) => {
    closing = true;
    server.close(() => resolve());
    for (const res of inFlight) {
      // Not answered yet: the answer says `Connection: close`, so Node ends the socket after it
      // and the client does not send another request on it.
      if (!res.headersSent) res.setHeader('connection', 'close');
      // Headers already sent: a Server-Sent Events stream (the queue line, a job's events), since
      // every JSON answer here is written at once. It never ends by itself: end it now (the
      // client's EventSource reconnects, to another process).
      else res.end();
    }
    server.closeIdleConnections();
  });
}
