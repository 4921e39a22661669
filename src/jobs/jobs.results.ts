// What each user job returns, as zod schemas: the one description of a job's result that the API
// (GET /api/jobs/:id and its OpenAPI document), the workers and the tests share. Each schema is
// checked against the domain's view type at compile time, so a view that changes without its
// schema does not build.
import { z } from 'zod';
import { RESERVATION_STATUSES, type ReservationView } from '../domain/reservation/index.ts';
import type { PaymentView } from '../domain/payment/payment.service.ts';
import type { WalletView } from '../domain/wallet/wallet.service.ts';
import type { CancelView, RefundView } from '../domain/payment/index.ts';
import type { JOBS, JobName } from './jobs.catalog.ts';

const int = z.number().int();

export const reservationViewSchema = z.object({
  reservationId: int, userId: int, scheduleId: int, concertId: int,
  status: z.enum(RESERVATION_STATUSES),
  totalAmount: int, expiresAt: z.string(),
  seats: z.array(z.object({ seatNumber: int, price: int })),
}).strict();

export const paymentViewSchema = z.object({
  paymentId: int, reservationId: int, userId: int, concertId: int, scheduleId: int, amount: int,
  // null when this job found the reservation already paid (the first payment's job has it).
  balanceAfter: int.nullable(),
  alreadyPaid: z.boolean(), scheduleSoldOut: z.boolean(),
  pendingHoldsLeft: z.boolean().describe('the fan still holds other seats of this concert, so the queue slot stays'),
}).strict();

/** An organizer's refund (admin.refund). */
export const refundViewSchema = z.object({
  reservation: reservationViewSchema,
  paymentId: int, refundedAmount: int,
  alreadyRefunded: z.boolean().describe('true when the reservation had already been refunded (nothing moved this time)'),
}).strict();

/** An organizer's cancellation of a schedule (admin.cancel). */
export const cancelViewSchema = z.object({
  scheduleId: int, alreadyCancelled: z.boolean(), holdsCancelled: int.describe('PENDING holds ended'), refunded: int.describe('CONFIRMED reservations refunded'),
}).strict();

export const walletViewSchema = z.object({ userId: int, balance: int, version: int }).strict();

/** A job that ended without its result: a business outcome (stable code) or exhausted retries (JOB_FAILED). */
export const jobFailureSchema = z.object({
  code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional(),
});

// Compile-time drift checks: each schema's output must be a valid domain view.
const _reservation: z.ZodType<ReservationView> = reservationViewSchema;
const _payment: z.ZodType<PaymentView> = paymentViewSchema;
const _wallet: z.ZodType<WalletView> = walletViewSchema;
const _refund: z.ZodType<RefundView> = refundViewSchema;
const _cancel: z.ZodType<CancelView> = cancelViewSchema;
void _reservation; void _payment; void _wallet; void _refund; void _cancel;

/** The result schema of every job a user submits. */
export const USER_JOB_RESULTS = {
  'reservation.hold': reservationViewSchema,
  'reservation.release': reservationViewSchema,
  'payment.pay': paymentViewSchema,
  'wallet.charge': walletViewSchema,
  'admin.refund': refundViewSchema,
  'admin.cancel': cancelViewSchema,
} as const satisfies Partial<Record<JobName, z.ZodType>>;
export type UserJobName = keyof typeof USER_JOB_RESULTS;

// Every job with an idPrefix (a user job) must have a result schema, and only those.
const _everyUserJobHasResult: { [N in JobName as (typeof JOBS)[N] extends { idPrefix: string } ? N : never]: unknown } = USER_JOB_RESULTS;
void _everyUserJobHasResult;

/** Public job states of GET /api/jobs/:id (BullMQ's waiting/delayed are `queued`, active is `running`). */
export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed'] as const;

const viewOf = <N extends UserJobName>(name: N) =>
  z.object({
    id: z.string(),
    type: z.literal(name),
    state: z.enum(JOB_STATES),
    result: USER_JOB_RESULTS[name].optional().describe('present when state is succeeded'),
    error: jobFailureSchema.optional().describe('present when state is failed'),
  }).strict();

/** GET /api/jobs/:id and every event of GET /api/jobs/:id/events: one shape per job type. */
export const jobViewSchema = z.discriminatedUnion('type', [
  viewOf('reservation.hold'), viewOf('reservation.release'), viewOf('payment.pay'), viewOf('wallet.charge'), viewOf('admin.refund'), viewOf('admin.cancel'),
]);
export type JobView = z.infer<typeof jobViewSchema>;
