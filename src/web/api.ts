// The API as the pages see it: JSON over fetch, the bearer token and the queue token as headers,
// and the server's one error shape ({error: {code, message, details}}) turned into ApiError.
import { bearer } from './session.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  queueToken?: string | null;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export function headersFor(opts: { queueToken?: string | null; json?: boolean; accept?: string } = {}): Record<string, string> {
  const h: Record<string, string> = { accept: opts.accept ?? 'application/json' };
  const jwt = bearer();
  if (jwt) h.authorization = `Bearer ${jwt}`;
  if (opts.queueToken) h['x-queue-token'] = opts.queueToken;
  if (opts.json) h['content-type'] = 'application/json';
  return h;
}

export async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } } | undefined;
  const e = body?.error;
  return new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText, e?.details ?? {});
}

export const networkError = () => new ApiError(0, 'NETWORK', 'Encore could not be reached. Check your connection; we will keep trying.');

export async function call<T>(path: string, opts: CallOptions = {}): Promise<{ data: T; headers: Headers; status: number }> {
  const headers = headersFor({ queueToken: opts.queueToken, json: opts.body !== undefined });
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET', headers, signal: opts.signal,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw networkError();
  }
  if (!res.ok) throw await errorOf(res);
  const data = (res.status === 204 ? undefined : await res.json()) as T;
  return { data, headers: res.headers, status: res.status };
}

export const get = async <T>(path: string, opts: CallOptions = {}) => (await call<T>(path, opts)).data;

/** A fresh Idempotency-Key for one submission (a retry of the same click reuses it). */
export const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`.replace('.', ''));

// What the API answers, as far as the pages use it.
export interface Concert { id: number; title: string; artist: string; description: string | null; durationMinutes: number; saleOpensAt?: string | null }
export interface Schedule {
  id: number; concertId: number; performanceAt: string; bookingOpenAt: string; bookingCloseAt: string;
  maxSeatsPerUser: number; seatCount: number; status: string; bookable: boolean;
}
export type SeatStatus = 'AVAILABLE' | 'HELD' | 'SOLD';
export interface Seat { seatNumber: number; price: number; status: SeatStatus }
export interface Reservation {
  reservationId: number; userId: number; scheduleId: number; concertId: number;
  status: 'PENDING' | 'CONFIRMED' | 'EXPIRED' | 'RELEASED' | string; totalAmount: number; expiresAt: string;
  seats: { seatNumber: number; price: number }[];
}
export interface Accepted { jobId: string; statusUrl: string }
export interface JobView { id: string; type: string; state: 'queued' | 'running' | 'succeeded' | 'failed'; result?: unknown; error?: { code: string; message: string; details?: Record<string, unknown> } }
export type QueueState = 'WAITING' | 'ACTIVE' | 'SOLD_OUT' | 'EXPIRED';
export interface QueueStatus {
  state: QueueState; concertId: number; token: string; position?: number; waitingCount?: number;
  estimatedWaitSeconds?: number; activeUntil?: string; reason?: 'BEFORE_OPENING' | 'PAUSED' | 'ALL_SEATS_HELD' | string;
  pollAfterMs?: number; saleOpensAt?: string; entrantId?: string;
}
