// Pausing and resuming a concert's sale. The switch itself is the waiting room's (admission stops
// and resumes; fans keep their places and are told PAUSED); this use case adds the audit row.
// The row is flushed in a transaction that commits only after the switch was thrown, so a switch
// that failed (Redis down) leaves no audit entry claiming it happened; the one window left, a
// commit failing after the switch, is logged by the caller's error as a failed request.
import type { EntityManager } from '../../platform/db.ts';
import { transaction } from '../../platform/transactions.ts';
import { getConcert } from '../catalog/catalog.service.ts';
import { recordAdminAction } from './organizer.audit.ts';
import type { Actor } from './organizer.service.ts';

export interface SaleSwitch {
  pause(concertId: number): Promise<void>;
  resume(concertId: number): Promise<void>;
}

export async function switchSale(em: () => EntityManager, room: SaleSwitch, who: Actor, concertId: number, paused: boolean): Promise<{ concertId: number; paused: boolean }> {
  await getConcert(em(), concertId);
  await transaction(em(), async (tx) => {
    recordAdminAction(tx, { actorId: who.actorId, action: paused ? 'concert.pause' : 'concert.resume', target: { type: 'concert', id: concertId }, after: { paused }, at: who.now });
    await tx.flush();
    await (paused ? room.pause(concertId) : room.resume(concertId));
  });
  return { concertId, paused };
}

export interface ChallengeSwitch {
  require(concertIds: number[], on?: boolean): Promise<void>;
}

/**
 * Turns the join challenge (docs/join-challenge.md) on or off for one concert, with its audit row,
 * committed only after the switch was thrown (as for pause/resume).
 */
export async function switchChallenge(em: () => EntityManager, challenges: ChallengeSwitch, who: Actor, concertId: number, enabled: boolean): Promise<{ concertId: number; enabled: boolean }> {
  await getConcert(em(), concertId);
  await transaction(em(), async (tx) => {
    recordAdminAction(tx, { actorId: who.actorId, action: 'concert.challenge', target: { type: 'concert', id: concertId }, after: { challenge: enabled }, at: who.now });
    await tx.flush();
    await challenges.require([concertId], enabled);
  });
  return { concertId, enabled };
}
