// Helpers for the organizer API tests: admin tokens and sales made through the domain use cases
// (the same code the workers run), so a test can set up holds and payments without workers.
import { signUserToken } from '../../src/api/auth.ts';
import type { TestApi } from './app.ts';
import { holdSeats } from '../../src/domain/reservation/index.ts';
import { payReservation } from '../../src/domain/payment/index.ts';
import { charge } from '../../src/domain/wallet/wallet.service.ts';
import { randomUUID } from 'node:crypto';

export const adminToken = (t: TestApi, userId: number) => signUserToken(t.rt.config.JWT_SECRET, userId, 3600, ['admin']);

export async function fundDirect(t: TestApi, userId: number, amount: number) {
  return t.rt.orm.em.fork().transactional((tx) => charge(tx, userId, amount, `charge:test-${randomUUID()}`, { maxCharge: 10_000_000, maxBalance: 100_000_000 }));
}

export async function holdDirect(t: TestApi, userId: number, scheduleId: number, seatNumbers: number[]) {
  return holdSeats(t.rt.orm.em.fork(), { userId, scheduleId, seatNumbers, jobId: `hold-test-${randomUUID()}` }, { holdSeconds: 300, now: new Date() });
}

export async function payDirect(t: TestApi, userId: number, reservationId: number) {
  return payReservation(t.rt.orm.em.fork(), { userId, reservationId, submittedAt: new Date() }, new Date());
}
