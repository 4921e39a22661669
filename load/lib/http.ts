// The load generator's HTTP client: an undici Pool (keep-alive, pipelined connections) whose every
// request is timed into the Recorder.
import { Pool } from 'undici';
import type { Recorder } from './recorder.ts';

export interface Reply { status: number; json: any } // eslint-disable-line @typescript-eslint/no-explicit-any

export class LoadClient {
  private readonly pool: Pool;
  private readonly recorder: Recorder;
  /** With `spreadIps`, each bearer token gets its own X-Forwarded-For address (see below). */
  private readonly ipOfToken?: Map<string, string>;
  /**
   * `spreadIps`: every user appears to come from its own address, as fans behind a trusted proxy
   * do (the server needs TRUST_PROXY), so per-IP rate limits apply per fan and not to the one
   * machine that generates the load.
   */
  constructor(url: string, recorder: Recorder, connections: number, opts: { spreadIps?: boolean } = {}) {
    this.pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
    this.recorder = recorder;
    if (opts.spreadIps) this.ipOfToken = new Map();
  }

  private clientIp(token: string): string {
    let ip = this.ipOfToken!.get(token);
    if (!ip) {
      const n = this.ipOfToken!.size + 1;
      ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
      this.ipOfToken!.set(token, ip);
    }
    return ip;
  }

  /**
   * `expected` lists statuses that are a correct answer for this step (e.g. 404 for a job that
   * expired); anything else, and every 5xx or socket error, is counted as an error.
   */
  async request(endpoint: string, method: 'GET' | 'POST' | 'DELETE', path: string, opts: { token?: string; headers?: Record<string, string>; body?: unknown; expected?: number[] } = {}): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (this.ipOfToken && opts.token && !headers['x-forwarded-for']) headers['x-forwarded-for'] = this.clientIp(opts.token);
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const started = performance.now();
    try {
      const res = await this.pool.request({ method, path, headers, body });
      const text = await res.body.text();
      const latency = performance.now() - started;
      const ok = (opts.expected ?? [200, 201, 202, 204]).includes(res.statusCode);
      this.recorder.record(endpoint, latency, res.statusCode, ok && res.statusCode < 500);
      return { status: res.statusCode, json: text ? JSON.parse(text) : undefined };
    } catch (err) {
      this.recorder.record(endpoint, performance.now() - started, (err as { code?: string }).code ?? 'ERR', false);
      return { status: 0, json: undefined };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** A problem found before the run starts: one sentence for the operator, no stack trace. */
export class PreflightError extends Error {}

async function probe(url: string, path: string, token?: string): Promise<{ status: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(new URL(path, url), { headers, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    const why = cause === 'ECONNREFUSED' ? 'connection refused' : cause === 'TimeoutError' ? 'no answer within 10 s' : cause === 'ENOTFOUND' ? 'unknown host' : cause;
    throw new PreflightError(`No Encore server answers at ${url} (${why}): start one (npm run up) or pass --url.`);
  }
  const text = await res.text();
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, json };
}

/**
 * Checks, before any load is generated, that an Encore API answers at `url`, accepts the tokens
 * this runner signs (same JWT_SECRET) and has seeded data; each failure is one clear sentence.
 */
export async function preflight(url: string, token: string): Promise<void> {
  try {
    new URL(url);
  } catch {
    throw new PreflightError(`--url ${url} is not a URL (expected e.g. http://127.0.0.1:3000).`);
  }
  const live = await probe(url, '/health/live');
  if (live.status !== 200) throw new PreflightError(`The server at ${url} is not an Encore API (GET /health/live answered ${live.status}).`);
  const me = await probe(url, '/api/me', token);
  if (me.status === 401) {
    throw new PreflightError(`The server at ${url} rejects this runner's tokens (${me.json?.error?.code ?? 401}): its JWT_SECRET differs; pass the server's with --jwt-secret or JWT_SECRET.`);
  }
  if (me.status >= 500) throw new PreflightError(`The server at ${url} is not ready (GET /api/me answered ${me.status} ${me.json?.error?.code ?? ''}); check /health/ready.`.replace(' )', ')'));
  const concerts = await probe(url, '/api/concerts');
  if (concerts.status !== 200) throw new PreflightError(`The server at ${url} could not list concerts (${concerts.status} ${concerts.json?.error?.code ?? ''}); check /health/ready.`.replace(' )', ')'));
  if (!Array.isArray(concerts.json) || concerts.json.length === 0) {
    throw new PreflightError(`The database behind ${url} has no concerts: seed it first (npm run seed, or npm run up).`);
  }
}
