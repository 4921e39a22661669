// The SQL of the reservation hot paths. Raw statements rather than entities: each path is a few
// round trips (see reservation.hold.ts, reservation.end.ts), and building and hydrating entities
// cost a worker about a third of its CPU (load/README.md). Every statement uses placeholders.
import type { Stmt } from '../../platform/db.ts';
import type { ReservationRow, ReservationStatus } from './reservation.lifecycle.ts';

/** A DATETIME as mysql2 returns it here (a UTC string; `dateStrings` is on) or a Date. */
export function sqlDate(v: unknown): Date {
  if (v instanceof Date) return v;
  return new Date(`${String(v).replace(' ', 'T')}Z`);
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

const RESERVATION_COLUMNS = 'id, user_id, schedule_id, concert_id, status, total_amount, expires_at';

export function reservationRow(r: Record<string, unknown>): ReservationRow {
  return {
    id: Number(r.id), userId: Number(r.user_id), scheduleId: Number(r.schedule_id), concertId: Number(r.concert_id),
    status: r.status as ReservationStatus, totalAmount: Number(r.total_amount), expiresAt: sqlDate(r.expires_at),
  };
}

export interface SeatLink { seatId: number; seatNumber: number; price: number }
export function seatLink(r: Record<string, unknown>): SeatLink {
  return { seatId: Number(r.seat_id), seatNumber: Number(r.seat_number), price: Number(r.price) };
}

/** Locks the reservation row (every change of a reservation starts here) and reads its live seats. */
export function lockReservation(id: number): Stmt[] {
  return [
    { sql: `select ${RESERVATION_COLUMNS} from reservations where id = ? for update`, params: [id] },
    { sql: 'select seat_id, seat_number, price from reservation_seats where reservation_id = ? and live = 1 order by seat_id', params: [id] },
  ];
}

/**
 * The hold's look before it locks anything: the schedule, the asked-for seats and whether this job
 * already made its reservation (a re-run after a crash). Under a rush most holds are for seats
 * already taken; turning those away here, without a transaction or a lock, kept 500 attempts on
 * one seat from queueing behind each other's locks (~10 s → under 2 s, load/README.md).
 */
export function holdProbe(scheduleId: number, seatNumbers: number[], jobId: string): Stmt {
  return {
    sql: `select sc.concert_id, sc.status, sc.booking_open_at, sc.booking_close_at, sc.max_seats_per_user,
      (select id from reservations where job_id = ?) as done_id, s.seat_number, s.status as seat_status
      from schedules sc left join seats s on s.schedule_id = sc.id and s.seat_number in (${marks(seatNumbers.length)})
      where sc.id = ?`,
    params: [jobId, ...seatNumbers, scheduleId],
  };
}

/**
 * The hold's locks, in one round trip and always in this order (seats by id, then the user's
 * quota row, then a shared lock on the schedule) so that two holds never deadlock. The quota
 * upsert takes the row's exclusive lock at once (`insert ignore` would take a shared one, and two
 * holds upgrading it deadlock). The shared schedule lock fences a concurrent cancellation.
 */
export function holdLocks(userId: number, scheduleId: number, seatNumbers: number[]): Stmt[] {
  return [
    {
      sql: `select id, seat_number, price, status from seats where schedule_id = ? and seat_number in (${marks(seatNumbers.length)}) order by id for update`,
      params: [scheduleId, ...seatNumbers],
    },
    { sql: 'insert into seat_quotas (user_id, schedule_id, held) values (?, ?, 0) on duplicate key update held = held', params: [userId, scheduleId] },
    { sql: 'select held from seat_quotas where user_id = ? and schedule_id = ? for update', params: [userId, scheduleId] },
    { sql: 'select status, booking_open_at, booking_close_at from schedules where id = ? lock in share mode', params: [scheduleId] },
  ];
}

/** The new reservation, its seat links, the seats HELD, the quota raised; `@rid` is its id. */
export function insertHold(r: Omit<ReservationRow, 'id' | 'status'> & { jobId: string; now: Date }, seats: SeatLink[]): Stmt[] {
  const ids = seats.map((s) => s.seatId);
  return [
    {
      sql: `insert into reservations (user_id, schedule_id, concert_id, status, total_amount, expires_at, job_id, version, created_at, updated_at)
        values (?, ?, ?, 'PENDING', ?, ?, ?, 1, ?, ?)`,
      params: [r.userId, r.scheduleId, r.concertId, r.totalAmount, r.expiresAt, r.jobId, r.now, r.now],
    },
    { sql: 'set @rid = last_insert_id()' },
    {
      sql: `insert into reservation_seats (reservation_id, seat_id, seat_number, price, live) values ${seats.map(() => '(@rid, ?, ?, ?, 1)').join(', ')}`,
      params: seats.flatMap((s) => [s.seatId, s.seatNumber, s.price]),
    },
    { sql: `update seats set status = 'HELD', reservation_id = @rid, version = version + 1 where id in (${marks(ids.length)})`, params: ids },
    { sql: 'update seat_quotas set held = held + ? where user_id = ? and schedule_id = ?', params: [seats.length, r.userId, r.scheduleId] },
  ];
}

/** Gives a reservation's seats back (AVAILABLE), unlinks them and lowers the owner's quota. */
export function freeSeats(r: ReservationRow, seats: SeatLink[], from: 'HELD' | 'SOLD'): Stmt[] {
  const ids = seats.map((s) => s.seatId);
  if (ids.length === 0) return [];
  return [
    {
      sql: `update seats set status = 'AVAILABLE', reservation_id = null, version = version + 1
        where id in (${marks(ids.length)}) and reservation_id = ? and status = ?`,
      params: [...ids, r.id, from],
    },
    { sql: 'update reservation_seats set live = null where reservation_id = ? and live = 1', params: [r.id] },
    { sql: 'update seat_quotas set held = held - ? where user_id = ? and schedule_id = ?', params: [ids.length, r.userId, r.scheduleId] },
  ];
}

/** Marks a reservation's seats SOLD. */
export function sellSeats(r: ReservationRow, seats: SeatLink[]): Stmt {
  const ids = seats.map((s) => s.seatId);
  return {
    sql: `update seats set status = 'SOLD', version = version + 1 where id in (${marks(ids.length)}) and reservation_id = ? and status = 'HELD'`,
    params: [...ids, r.id],
  };
}

export function setStatus(id: number, to: ReservationStatus): Stmt {
  return { sql: 'update reservations set status = ?, version = version + 1 where id = ?', params: [to, id] };
}
