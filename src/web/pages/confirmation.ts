// The confirmation of a paid reservation.
import { html } from 'htm/preact';
import { get, type Concert, type Reservation, type Schedule } from '../api.ts';
import { dateTime, money, seatList } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { Link, useFocusHeading } from '../router.ts';
import { Alert, Show } from '../ui.ts';
import { loadSchedules } from './concert.ts';

export function Confirmation({ id }: { id: number }) {
  const [data, reload] = useLoad(async (signal) => {
    const r = await get<Reservation>(`/api/reservations/${id}`, { signal });
    const [concert, schedules] = await Promise.all([get<Concert>(`/api/concerts/${r.concertId}`, { signal }), loadSchedules(r.concertId, signal)]);
    return { r, concert, schedule: schedules.find((s) => s.id === r.scheduleId) };
  }, [id]);
  useFocusHeading(data.state === 'ok' && data.value.r.status === 'CONFIRMED' ? 'You are going!' : 'Reservation');
  return html`<${Show} value=${data} retry=${reload} ok=${({ r, concert, schedule }: { r: Reservation; concert: Concert; schedule?: Schedule }) =>
    r.status !== 'CONFIRMED'
      ? html`<h1>Reservation</h1><${Alert} kind="warn">This reservation is ${r.status.toLowerCase()}, not paid.<//>
          <p><${Link} href=${`/app/reservations/${r.reservationId}`}>Go to the reservation<//></p>`
      : html`<h1>You are going!</h1>
        <section class="card confirmation" aria-labelledby="ticket-title">
          <h2 id="ticket-title">${concert.title}</h2>
          <p class="lead">${concert.artist}${schedule ? html` · ${dateTime(schedule.performanceAt)}` : null}</p>
          <dl class="facts">
            <dt>Reservation</dt><dd>#${r.reservationId}</dd>
            <dt>Seats</dt><dd>${seatList(r.seats.map((s) => s.seatNumber))}</dd>
            <dt>Paid</dt><dd>${money(r.totalAmount)} from your wallet</dd>
            <dt>Status</dt><dd><span class="badge ok">Confirmed</span></dd>
          </dl>
        </section>
        <p><${Link} href="/app/me">My reservations<//> · <${Link} href="/app/">More concerts<//></p>`} />`;
}
