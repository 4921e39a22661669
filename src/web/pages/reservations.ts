// "My reservations". The API has no list endpoint, so this shows the reservations made in this
// browser tab (kept in sessionStorage), each read fresh from GET /api/reservations/:id.
import { html } from 'htm/preact';
import { get, type Reservation } from '../api.ts';
import { money, seatList } from '../format.ts';
import { useLoad } from '../hooks.ts';
import { Link, useFocusHeading } from '../router.ts';
import { keptReservations } from '../session.ts';
import { Show } from '../ui.ts';

export function MyReservations() {
  const [list, reload] = useLoad(async (signal) => {
    const kept = keptReservations();
    const found = await Promise.all(kept.map((k) => get<Reservation>(`/api/reservations/${k.reservationId}`, { signal }).catch(() => undefined)));
    return found.filter((r): r is Reservation => r !== undefined);
  }, []);
  useFocusHeading('My reservations');
  return html`<h1>My reservations</h1>
    <p class="muted">Reservations made in this browser tab.</p>
    <${Show} value=${list} retry=${reload} ok=${(rs: Reservation[]) => rs.length === 0
      ? html`<p>None yet. <${Link} href="/app/">Find a concert<//>.</p>`
      : html`<ul class="cards">${rs.map((r) => html`<li class="card" key=${r.reservationId}>
          <h2><${Link} href=${r.status === 'CONFIRMED' ? `/app/reservations/${r.reservationId}/confirmed` : `/app/reservations/${r.reservationId}`}>Reservation #${r.reservationId}<//></h2>
          <p>${seatList(r.seats.map((s) => s.seatNumber))} · ${money(r.totalAmount)} · <span class=${`badge ${r.status === 'CONFIRMED' ? 'ok' : ''}`}>${r.status.toLowerCase()}</span></p>
        </li>`)}</ul>`} />`;
}
