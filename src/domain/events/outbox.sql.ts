// The outbox row of an event as one SQL statement, for the hot paths that write in batches of
// raw statements (src/domain/reservation, src/domain/payment). Same envelope and table as
// recordEvent() in outbox.ts.
import { randomUUID } from 'node:crypto';
import type { Stmt } from '../../platform/db.ts';
import type { EventEnvelope } from './events.envelope.ts';

/**
 * A value only the database knows when the batch runs (e.g. `@rid`, `last_insert_id()`): a fixed
 * SQL expression from our own code, never user input.
 */
export interface SqlValue { sql: string }

/**
 * `insert into outbox` for an event. `aggregateId` and any `late` JSON paths of the envelope may be
 * SQL values computed earlier in the same batch (the id of a row inserted just before).
 */
export function outboxStmt<T extends object>(
  type: string, version: number, aggregateId: number | SqlValue, data: T, now: Date, late: Record<string, SqlValue> = {},
): Stmt {
  const envelope: EventEnvelope<T> = {
    id: randomUUID(), type, version, occurredAt: now.toISOString(), aggregateId: typeof aggregateId === 'number' ? String(aggregateId) : '', data,
  };
  const patches: [string, string][] = Object.entries(late).map(([path, v]) => [path, v.sql]);
  if (typeof aggregateId !== 'number') patches.unshift(['$.aggregateId', `cast(${aggregateId.sql} as char)`]);
  const envelopeSql = patches.length ? `json_set(?, ${patches.map(([p, e]) => `'${p}', ${e}`).join(', ')})` : '?';
  const aggregateSql = typeof aggregateId === 'number' ? '?' : `cast(${aggregateId.sql} as char)`;
  return {
    sql: `insert into outbox (event_id, type, aggregate_id, envelope, created_at) values (?, ?, ${aggregateSql}, ${envelopeSql}, ?)`,
    params: [envelope.id, type, ...(typeof aggregateId === 'number' ? [String(aggregateId)] : []), JSON.stringify(envelope), now],
  };
}
