// The organizer's catalog use cases. Each runs in one transaction with its audit row (the log and
// the change commit together or not at all), then invalidates the catalog caches on every API
// process (the published invalidation drops their in-process copies within milliseconds; the
// in-process TTL bounds it at 1 s if a message were lost). They take no seat locks, so they run
// in the API rather than as jobs.
import type { EntityManager } from '../../platform/db.ts';
import type { ResponseCache } from '../../platform/cache.ts';
import { transaction } from '../../platform/transactions.ts';
import { createConcert, createSchedule, updateConcert, type ConcertInput, type ConcertPatch, type ScheduleInput, type CreatedSchedule } from '../catalog/catalog.admin.ts';
import { invalidateConcert } from '../catalog/catalog.cache.ts';
import type { ConcertView } from '../catalog/catalog.service.ts';
import { recordAdminAction } from './organizer.audit.ts';

export interface OrganizerDeps { em: () => EntityManager; cache: ResponseCache }
export interface Actor { actorId: number; now: Date }

export async function organizeConcert(d: OrganizerDeps, who: Actor, input: ConcertInput): Promise<ConcertView> {
  const concert = await transaction(d.em(), async (tx) => {
    const created = await createConcert(tx, input);
    recordAdminAction(tx, { actorId: who.actorId, action: 'concert.create', target: { type: 'concert', id: created.id }, after: created, at: who.now });
    return created;
  });
  await invalidateConcert(d.cache, concert.id);
  return concert;
}

export async function editConcert(d: OrganizerDeps, who: Actor, concertId: number, patch: ConcertPatch): Promise<ConcertView> {
  const { after } = await transaction(d.em(), async (tx) => {
    const change = await updateConcert(tx, concertId, patch);
    recordAdminAction(tx, { actorId: who.actorId, action: 'concert.update', target: { type: 'concert', id: concertId }, before: change.before, after: change.after, at: who.now });
    return change;
  });
  await invalidateConcert(d.cache, concertId);
  return after;
}

export async function addSchedule(d: OrganizerDeps, who: Actor, concertId: number, input: ScheduleInput): Promise<CreatedSchedule> {
  const schedule = await transaction(d.em(), async (tx) => {
    const created = await createSchedule(tx, concertId, input);
    // The audit keeps the summary (count and prices), not 1,000 seat rows: the seats table has them.
    recordAdminAction(tx, { actorId: who.actorId, action: 'schedule.create', target: { type: 'schedule', id: created.id }, after: created, at: who.now });
    return created;
  });
  await invalidateConcert(d.cache, concertId);
  return schedule;
}
