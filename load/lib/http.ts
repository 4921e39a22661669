// The load generator's HTTP client: an undici Pool (keep-alive, pipelined connections) whose every
// request is timed into the Recorder.
import { Pool } from 'undici';
import type { Recorder } from './recorder.ts';

export interface Reply { status: number; json: any } // eslint-disable-line @typescript-eslint/no-explicit-any

export class LoadClient {
  private readonly pool: Pool;
  private readonly recorder: Recorder;
  constructor(url: string, recorder: Recorder, connections: number) {
    this.pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: 30_000, bodyTimeout: 30_000 });
    this.recorder = recorder;
  }

  /**
   * `expected` lists statuses that are a correct answer for this step (e.g. 404 for a job that
   * expired); anything else, and every 5xx or socket error, is counted as an error.
   */
  async request(endpoint: string, method: 'GET' | 'POST' | 'DELETE', path: string, opts: { token?: string; headers?: Record<string, string>; body?: unknown; expected?: number[] } = {}): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
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
