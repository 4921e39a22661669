import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Agent, type Dispatcher } from 'undici';

export interface TestServer { url: string; close(): Promise<void> }

/**
 * Listens on an ephemeral port so each test file talks real HTTP to its own app, configured as
 * src/api/server.ts configures the real one: a deep accept backlog (Node's default of 511 overflowed
 * in CI when 2,000 connects met a busy event loop: the kernel dropped the handshakes and the client
 * read ECONNRESET, see TcpExtListenOverflows) and keep-alive longer than any client's idle timer,
 * so a client never reuses a socket the server is closing.
 */
export async function listen(app: Express): Promise<TestServer> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve(s));
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

/**
 * A client with at most `connections` keep-alive sockets per origin: what a browser, a proxy or a
 * load balancer in front of the API does. Requests beyond that wait in the client's queue, as they
 * would in a real fleet of clients, instead of opening one socket each at the same instant.
 */
export function boundedClient(connections: number): Agent {
  return new Agent({ connections, keepAliveTimeout: 30_000, headersTimeout: 120_000, bodyTimeout: 120_000 });
}

export async function api(base: string, path: string, init: RequestInit & { token?: string; json?: unknown; dispatcher?: Dispatcher } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const { dispatcher, ...rest } = init;
  if (dispatcher) {
    // A bounded client: undici's request API on that Agent (fetch's WHATWG layer costs several
    // times the CPU, which a rush of thousands of requests on a starved CI machine feels).
    const res = await dispatcher.request({
      origin: base, path, method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: Object.fromEntries(headers), body: body as string | undefined,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: new Headers(res.headers as Record<string, string>), json: parseBody(text), text };
  }
  const res = await fetch(`${base}${path}`, { ...rest, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: parseBody(text), text };
}

/**
 * The body as JSON, or undefined when it is empty or not JSON. Typed `any` on purpose, the one
 * place in the tests: a test reads the fields it asserts (`res.json.error.code`) and `expect`
 * checks them; a test that relies on a whole shape parses it with the route's own schema
 * (`jobViewSchema.parse` in flow.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parseBody(text: string): any {
  try { return text ? JSON.parse(text) : undefined; } catch { return undefined; }
}
