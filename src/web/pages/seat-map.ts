// The seat map of one performance, live: a grid coloured by status, refreshed every 2 s from the
// cached seat map. The fan picks up to the per-fan limit and holds them (a job whose result is
// pushed or long-polled), then goes to checkout.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, get, newKey, type Accepted, type QueueStatus, type Reservation, type Schedule, type Seat } from '../api.ts';
import { dateTime, money, seatList } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { waitForJob } from '../jobs.ts';
import { explain } from '../messages.ts';
import { Link, navigate, useFocusHeading } from '../router.ts';
import { keepReservation, queueToken } from '../session.ts';
import { Alert, Note, Show, Spinner } from '../ui.ts';
import { loadSchedules } from './concert.ts';

const REFRESH_MS = 2000;
const LABEL: Record<string, string> = { AVAILABLE: 'available', HELD: 'held by someone', SOLD: 'sold' };

export function SeatMap({ concertId, scheduleId }: { concertId: number; scheduleId: number }) {
  const token = queueToken(concertId);
  const [schedule, reloadSchedule] = useLoad(async (signal) => {
    const s = (await loadSchedules(concertId, signal)).find((x) => x.id === scheduleId);
    if (!s) throw new ApiError(404, 'SCHEDULE_NOT_FOUND', 'This performance does not exist.');
    return s;
  }, [concertId, scheduleId]);
  const [seats, setSeats] = useState<Seat[]>();
  const [seatError, setSeatError] = useState<unknown>();
  const [selected, setSelected] = useState<number[]>([]);
  const [notice, setNotice] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [turn, setTurn] = useState<'checking' | 'active' | 'not-active'>('checking');
  const [busy, setBusy] = useState(false);
  const refreshNow = useRef<() => void>(() => undefined);
  useFocusHeading('Choose your seats');

  // Live seat map. A seat the fan picked that someone else takes meanwhile is dropped, and said so.
  useEffect(() => {
    const ac = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      clearTimeout(timer);
      try {
        const data = await get<{ seats: Seat[] }>(`/api/schedules/${scheduleId}/seats`, { signal: ac.signal });
        setSeats(data.seats);
        setSeatError(undefined);
        setSelected((sel) => {
          const gone = sel.filter((n) => data.seats.find((s) => s.seatNumber === n)?.status !== 'AVAILABLE');
          if (gone.length) setNotice(`Sorry, ${seatList(gone)} was taken by another fan just now. Pick another seat.`);
          return gone.length ? sel.filter((n) => !gone.includes(n)) : sel;
        });
      } catch (err) {
        if ((err as Error).name === 'AbortError') return;
        setSeatError(err);
      }
      if (!ac.signal.aborted) timer = setTimeout(load, REFRESH_MS);
    };
    refreshNow.current = () => void load();
    void load();
    return () => { ac.abort(); clearTimeout(timer); };
  }, [scheduleId]);

  // Is it still the fan's turn? Asked now and every 20 s (asking also tells the server we are here).
  useEffect(() => {
    if (!token) { setTurn('not-active'); return undefined; }
    const ac = new AbortController();
    const check = () => get<QueueStatus>('/api/queue/status', { queueToken: token, signal: ac.signal })
      .then((s) => setTurn(s.state === 'ACTIVE' ? 'active' : 'not-active'), (err: Error) => { if (err.name !== 'AbortError' && err instanceof ApiError && err.status < 500 && err.status > 0) setTurn('not-active'); });
    void check();
    const t = setInterval(check, 20_000);
    return () => { ac.abort(); clearInterval(t); };
  }, [token]);

  const toggle = (s: Schedule, n: number) => {
    setNotice(undefined);
    setFailure(undefined);
    setSelected((sel) => {
      if (sel.includes(n)) return sel.filter((x) => x !== n);
      if (sel.length >= s.maxSeatsPerUser) {
        setNotice(`You can pick up to ${s.maxSeatsPerUser} seats for this performance.`);
        return sel;
      }
      return [...sel, n].sort((a, b) => a - b);
    });
  };

  const hold = async () => {
    setBusy(true);
    setFailure(undefined);
    setNotice(undefined);
    try {
      const { data } = await call<Accepted>('/api/reservations', {
        method: 'POST', body: { scheduleId, seatNumbers: selected }, queueToken: token, idempotencyKey: newKey(),
      });
      const job = await waitForJob(data.jobId);
      if (job.state === 'succeeded') {
        const r = job.result as Reservation;
        keepReservation({ reservationId: r.reservationId, concertId, scheduleId });
        navigate(`/app/reservations/${r.reservationId}`);
        return;
      }
      const err = new ApiError(409, job.error?.code ?? 'JOB_FAILED', job.error?.message ?? 'The hold did not go through.', job.error?.details ?? {});
      setFailure(explain(err));
      if (err.code === 'SEAT_UNAVAILABLE') {
        const lost = (err.details.seatNumbers as number[] | undefined) ?? [];
        setSelected((sel) => sel.filter((n) => !lost.includes(n)));
      }
      refreshNow.current();
    } catch (err) {
      setFailure(explain(err));
      if (err instanceof ApiError && err.code.startsWith('QUEUE_TOKEN')) setTurn('not-active');
    } finally {
      setBusy(false);
    }
  };

  const allSold = seats !== undefined && seats.length > 0 && seats.every((s) => s.status === 'SOLD');
  const noneFree = seats !== undefined && !allSold && seats.every((s) => s.status !== 'AVAILABLE');

  return html`<p class="crumbs"><${Link} href=${`/app/concerts/${concertId}/queue`}>Back to the waiting room<//></p>
    <h1>Choose your seats</h1>
    <${Show} value=${schedule} retry=${reloadSchedule} ok=${(s: Schedule) => html`
      <p class="lead">${dateTime(s.performanceAt)} · up to ${s.maxSeatsPerUser} ${s.maxSeatsPerUser === 1 ? 'seat' : 'seats'} per fan</p>
      ${turn === 'not-active' ? html`<${Alert} kind="warn">It is not your turn to book right now. You can look at the map; to book,
        <${Link} href=${`/app/concerts/${concertId}/queue`}>join the line<//>.<//>` : null}
      ${allSold ? html`<${Alert} kind="warn"><strong>Sold out.</strong> Every seat of this performance has been sold.<//>` : null}
      ${noneFree ? html`<${Note}>Every seat is held right now by fans who are paying. Seats come back if their holds end.<//>` : null}
      ${failure ? html`<${Alert}>${failure}<//>` : notice ? html`<${Alert} kind="warn">${notice}<//>` : null}
      <${Legend} />
      ${seatError && !seats ? html`<${Alert}>${explain(seatError)}<//>` : null}
      ${!seats ? html`<${Spinner} label="Loading the seat map…" />` : html`
        <div class="stage" aria-hidden="true">Stage</div>
        <div class="seat-grid" role="group" aria-label="Seats (press a seat to select it)">
          ${seats.map((seat) => {
            const isSelected = selected.includes(seat.seatNumber);
            const status = isSelected ? 'selected' : seat.status.toLowerCase();
            return html`<button type="button" key=${seat.seatNumber} class=${`seat seat-${status}`} data-seat=${seat.seatNumber}
              aria-pressed=${isSelected} disabled=${seat.status !== 'AVAILABLE'}
              aria-label=${`Seat ${seat.seatNumber}, ${money(seat.price)}, ${isSelected ? 'selected' : LABEL[seat.status]}`}
              onClick=${() => toggle(s, seat.seatNumber)}>${seat.seatNumber}</button>`;
          })}
        </div>`}
      ${allSold ? null : html`<div class="summary" aria-live="polite">
        ${selected.length === 0 ? html`<p>No seats selected.</p>` : html`<p>Selected: <strong>${seatList(selected)}</strong> ·
          total <strong>${money(selected.reduce((sum, n) => sum + (seats?.find((x) => x.seatNumber === n)?.price ?? 0), 0))}</strong></p>`}
        <button type="button" class="primary" onClick=${hold} disabled=${busy || selected.length === 0 || turn !== 'active'}>
          ${busy ? 'Holding your seats…' : `Hold ${selected.length ? seatList(selected) : 'seats'}`}
        </button>
      </div>`}`} />`;
}

const Legend = () => html`<ul class="legend" aria-label="Seat colours">
  <li><span class="swatch seat-available"></span>Available</li>
  <li><span class="swatch seat-selected"></span>Your pick</li>
  <li><span class="swatch seat-held"></span>Held</li>
  <li><span class="swatch seat-sold"></span>Sold</li>
</ul>`;
