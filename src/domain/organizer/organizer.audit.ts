// The append-only log of admin actions: who did what to which target, when, and the target's
// state before and after. A row is written in the same transaction as the change it describes,
// so the log never claims a change that rolled back nor misses one that committed. Nothing in
// Encore updates or deletes these rows.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { EntityManager } from '../../platform/db.ts';

export const AdminAudit = defineEntity({
  name: 'AdminAudit',
  tableName: 'admin_audit',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    actorId: p.bigint('number'),
    action: p.string().length(64),
    targetType: p.string().length(32),
    targetId: p.string().length(64),
    beforeJson: p.text().nullable(),
    afterJson: p.text().nullable(),
    requestId: p.string().length(100).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});
export type IAdminAudit = InferEntity<typeof AdminAudit>;

export const AUDIT_ACTIONS = [
  'concert.create', 'concert.update', 'schedule.create', 'concert.pause', 'concert.resume', 'concert.challenge', 'schedule.cancel', 'reservation.refund',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  actorId: number;
  action: AuditAction;
  target: { type: 'concert' | 'schedule' | 'reservation'; id: number };
  before?: unknown;
  after?: unknown;
  at: Date;
}

/**
 * Adds one row in its own statement, at most once per `requestId` (a job id): for actions whose
 * use case commits its own transactions (a refund, a cancellation), recorded after they succeed.
 * If the job dies between the two, its retry finds the change already made (the use cases are
 * idempotent) and records it then.
 */
export async function recordAdminActionOnce(em: EntityManager, e: AuditEntry, requestId: string): Promise<void> {
  await em.getConnection().execute(
    `insert ignore into admin_audit (actor_id, action, target_type, target_id, before_json, after_json, request_id, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [e.actorId, e.action, e.target.type, String(e.target.id), e.before === undefined ? null : JSON.stringify(e.before),
      e.after === undefined ? null : JSON.stringify(e.after), requestId, e.at],
  );
}

export interface AuditView {
  id: number; actorId: number; action: string; targetType: string; targetId: string;
  before: unknown; after: unknown; createdAt: string;
}

/** Adds one row inside the caller's transaction (flushed with it). */
export function recordAdminAction(em: EntityManager, e: AuditEntry): void {
  em.create(AdminAudit, {
    actorId: e.actorId, action: e.action, targetType: e.target.type, targetId: String(e.target.id),
    beforeJson: e.before === undefined ? null : JSON.stringify(e.before),
    afterJson: e.after === undefined ? null : JSON.stringify(e.after),
    createdAt: e.at,
  });
}

export interface AuditQuery { limit: number; before?: number; targetType?: string; targetId?: string; actorId?: number; action?: string }

/** Newest first, keyset-paginated by id: `nextBefore` is the `before` of the next page (null at the end). */
export async function listAdminActions(em: EntityManager, q: AuditQuery): Promise<{ items: AuditView[]; nextBefore: number | null }> {
  const where: Record<string, unknown> = {};
  if (q.before !== undefined) where.id = { $lt: q.before };
  if (q.targetType !== undefined) where.targetType = q.targetType;
  if (q.targetId !== undefined) where.targetId = q.targetId;
  if (q.actorId !== undefined) where.actorId = q.actorId;
  if (q.action !== undefined) where.action = q.action;
  const rows = await em.find(AdminAudit, where, { orderBy: { id: 'desc' }, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((r) => ({
      id: r.id, actorId: r.actorId, action: r.action, targetType: r.targetType, targetId: r.targetId,
      before: r.beforeJson == null ? null : JSON.parse(r.beforeJson), after: r.afterJson == null ? null : JSON.parse(r.afterJson),
      createdAt: r.createdAt.toISOString(),
    })),
    nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null,
  };
}
