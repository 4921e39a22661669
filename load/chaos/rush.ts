// A small on-sale rush of fans who behave like real clients under faults: they retry what a real
// client would retry (connection errors, 5xx, a lost queue token → join again, a job that vanished
// → submit again) and stop only at a final answer: CONFIRMED, SOLD_OUT, or a give-up deadline.
import { Pool } from 'undici';
import { Identity } from '../lib/identity.ts';
import { sleep } from './stack.ts';

export type Answer = 'CONFIRMED' | 'SOLD_OUT' | 'NO_ANSWER';
export interface JobTiming { kind: 'hold' | 'payment'; submittedAt: number; ms: number }

interface Reply { status: number; json: any } // eslint-disable-line @typescript-eslint/no-explicit-any

export class ChaosClient {
  private readonly pool: Pool;
  readonly identity: Identity;
  /** Requests that got no HTTP answer, by kind: 'refused' (nothing listening) or 'dropped'. */
  readonly connectionErrors: { at: number; code: 'refused' | 'dropped'; detail: string }[] = [];
  /** Requests awaiting an answer, by method and route: the progress log shows where fans wait. */
  readonly inFlight = new Map<string, number>();
  constructor(url: string, secret: string) {
    this.pool = new Pool(url, { connections: 128, keepAliveTimeout: 10_000, headersTimeout: 60_000, bodyTimeout: 60_000 });
    this.identity = new Identity(secret);
  }
  async request(method: 'GET' | 'POST', path: string, userId: number, opts: { body?: unknown; queueToken?: string; idempotencyKey?: string } = {}): Promise<Reply> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.identity.token(userId)}` };
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    if (opts.queueToken) headers['x-queue-token'] = opts.queueToken;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const what = `${method} ${path.split('?')[0]!.split('/').map((seg) => (/\d/.test(seg) ? ':id' : seg)).join('/')}`;
    this.inFlight.set(what, (this.inFlight.get(what) ?? 0) + 1);
    try {
      // A bound on every request: a socket that hangs half-open must not hang a fan forever.
      const res = await this.pool.request({ method, path, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: AbortSignal.timeout(90_000) });
      const text = await res.body.text();
      let json;
      try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
      return { status: res.statusCode, json };
    } catch (err) {
      // Connection refused: the API is down (clients retry). Anything else (reset, socket closed
      // mid-request, timeout) is a request the server dropped: a graceful shutdown has none.
      const e = err as { code?: string; cause?: { code?: string } };
      const code = e.code === 'ECONNREFUSED' || e.cause?.code === 'ECONNREFUSED' ? 'refused' : 'dropped';
      this.connectionErrors.push({ at: Date.now(), code, detail: String(e.code ?? e.cause?.code ?? err) });
      return { status: 0, json: undefined };
    } finally {
      this.inFlight.set(what, this.inFlight.get(what)! - 1);
    }
  }
  close(): Promise<void> { return this.pool.close(); }
}

/** Submits a job and polls it to its end, resubmitting if it vanished; undefined when out of time. */
async function runJob(c: ChaosClient, userId: number, path: string, body: unknown, queueToken: string, deadline: number) {
  const submittedAt = Date.now();
  // One key per submission, reused on every retry: a submit whose answer was lost (timeout, reset)
  // and is sent again gets the same job, never a second one.
  const idempotencyKey = `chaos-${userId}-${submittedAt}-${Math.random().toString(36).slice(2)}`;
  while (Date.now() < deadline) {
    const sub = await c.request('POST', path, userId, { body, queueToken, idempotencyKey });
    if (sub.status === 202) {
      for (;;) {
        if (Date.now() > deadline) return undefined;
        const res = await c.request('GET', `/api/jobs/${sub.json.jobId}?waitMs=5000`, userId);
        if (res.status === 200 && (res.json.state === 'succeeded' || res.json.state === 'failed')) return { job: res.json, submittedAt, ms: Date.now() - submittedAt };
        if (res.status === 404) break; // the job vanished with Redis: submit again
        if (res.status !== 200) await sleep(500);
      }
    } else if (sub.status >= 400 && sub.status < 500 && sub.status !== 429) {
      return { job: { state: 'rejected', error: sub.json?.error }, submittedAt, ms: Date.now() - submittedAt };
    } else {
      await sleep(500); // 0, 429, 5xx: retry with a pause, as a client would
    }
  }
  return undefined;
}

/** Every seat SOLD: the answer a fan's page shows from the public seat map (or a 409 on join). */
async function soldOut(c: ChaosClient, userId: number, scheduleId: number): Promise<boolean> {
  const all = await c.request('GET', `/api/schedules/${scheduleId}/seats`, userId);
  const list = (all.json?.seats ?? []) as { status: string }[];
  return all.status === 200 && list.length > 0 && list.every((s) => s.status === 'SOLD');
}

/**
 * Joins again after the fan's slot was lost and waits until ACTIVE: the new token, or undefined
 * when the line answers with a final state instead (409 sold out, SOLD_OUT, EXPIRED, token lost
 * again). Waiting only for ACTIVE hung fans whose concert sold out meanwhile until the deadline.
 */
async function rejoin(c: ChaosClient, userId: number, concertId: number, deadline: number): Promise<string | undefined> {
  while (Date.now() < deadline) {
    const j = await c.request('POST', '/api/queue/tokens', userId, { body: { concertId } });
    if (j.status === 409) return undefined;
    if (j.status !== 200 && j.status !== 201) { await sleep(500); continue; }
    const token = j.json.token as string;
    while (Date.now() < deadline) {
      const st = await c.request('GET', '/api/queue/status', userId, { queueToken: token });
      if (st.json?.state === 'ACTIVE') return token;
      if (st.status === 401 || st.status === 404 || st.status === 410 || ['SOLD_OUT', 'EXPIRED'].includes(st.json?.state)) return undefined;
      await sleep(500);
    }
  }
  return undefined;
}

export async function fan(c: ChaosClient, userId: number, concertId: number, scheduleId: number, deadline: number, timings: JobTiming[]): Promise<Answer> {
  // Fund the wallet first (a job too).
  const funded = await runJob(c, userId, '/api/wallet/charges', { amount: 500_000 }, '', deadline);
  if (!funded || funded.job.state !== 'succeeded') return 'NO_ANSWER';
  let queueToken: string | undefined;
  while (Date.now() < deadline) {
    if (!queueToken) {
      const j = await c.request('POST', '/api/queue/tokens', userId, { body: { concertId } });
      if (j.status === 409) return 'SOLD_OUT';
      if (j.status !== 200 && j.status !== 201) { await sleep(500); continue; }
      queueToken = j.json.token as string;
    }
    const s = await c.request('GET', '/api/queue/status', userId, { queueToken });
    if (s.status === 401 || s.status === 410 || s.status === 404 || s.json?.state === 'EXPIRED') { queueToken = undefined; continue; } // lost with Redis: join again
    if (s.status !== 200) { await sleep(500); continue; }
    if (s.json.state === 'SOLD_OUT') return 'SOLD_OUT';
    if (s.json.state !== 'ACTIVE') {
      if (await soldOut(c, userId, scheduleId)) return 'SOLD_OUT';
      await sleep(Math.min(3000, Math.max(250, Number(s.json.pollAfterMs ?? 1000))));
      continue;
    }

    const seats = await c.request('GET', `/api/schedules/${scheduleId}/seats?status=available`, userId);
    const free = (seats.json?.seats ?? []) as { seatNumber: number }[];
    if (seats.status === 200 && free.length === 0) { // all held or sold: sold out, or wait for a release
      if (await soldOut(c, userId, scheduleId)) return 'SOLD_OUT';
      await sleep(1000);
      continue;
    }
    if (seats.status !== 200) { await sleep(500); continue; }
    const seat = free[Math.floor(Math.random() * free.length)]!.seatNumber;
    const hold = await runJob(c, userId, '/api/reservations', { scheduleId, seatNumbers: [seat] }, queueToken, deadline);
    if (!hold) return 'NO_ANSWER';
    if (hold.job.state === 'rejected') { queueToken = hold.job.error?.code?.startsWith('QUEUE_') ? undefined : queueToken; await sleep(300); continue; }
    timings.push({ kind: 'hold', submittedAt: hold.submittedAt, ms: hold.ms });
    if (hold.job.state !== 'succeeded') continue; // seat taken meanwhile: pick another
    for (;;) {
      const pay = await runJob(c, userId, '/api/payments', { reservationId: hold.job.result.reservationId }, queueToken ?? '', deadline);
      if (!pay) return 'NO_ANSWER';
      if (pay.job.state === 'rejected') {
        // The queue slot vanished (Redis lost): join again, then pay the same hold.
        if (!String(pay.job.error?.code ?? '').startsWith('QUEUE_')) break;
        queueToken = await rejoin(c, userId, concertId, deadline);
        if (queueToken) continue;
        // No slot again (sold out meanwhile, or the line said so): the page shows the reservation;
        // otherwise start over, where the join answers SOLD_OUT or a new try begins.
        const mine = await c.request('GET', `/api/reservations/${hold.job.result.reservationId}`, userId);
        if (mine.json?.status === 'CONFIRMED') return 'CONFIRMED';
        break;
      }
      timings.push({ kind: 'payment', submittedAt: pay.submittedAt, ms: pay.ms });
      if (pay.job.state === 'succeeded') return 'CONFIRMED';
      // A payment job that failed may still have been paid by an earlier job whose answer got
      // lost with Redis: the fan's page looks at the reservation itself.
      const mine = await c.request('GET', `/api/reservations/${hold.job.result.reservationId}`, userId);
      if (mine.json?.status === 'CONFIRMED') return 'CONFIRMED';
      break; // e.g. HOLD_EXPIRED: start over
    }
  }
  return 'NO_ANSWER';
}
