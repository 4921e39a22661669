// The payment module's public surface: paying a hold, and the organizer's refund and cancellation.
export { payReservation, type PaymentView, type PayRequest } from './payment.service.ts';
export { refundReservation, cancelSchedule, type RefundView, type CancelView, type ActorOptions } from './payment.refund.ts';
