// One concert: its details, its performances, and the way into its waiting room.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ApiError, call, get, type Concert, type QueueStatus, type Schedule } from '../api.ts';
import { useLoad, useUserId } from '../hooks.ts';
import { dateTime } from '../format.ts';
import { explain } from '../messages.ts';
import { Link, navigate, useFocusHeading } from '../router.ts';
import { queueToken, setQueueToken } from '../session.ts';
import { Alert, Show } from '../ui.ts';

export const loadSchedules = (concertId: number, signal?: AbortSignal) =>
  get<Schedule[]>(`/api/concerts/${concertId}/schedules?all=true`, { signal });

/** Joins the concert's line (idempotent on the server) and remembers the queue token. */
export async function joinLine(concertId: number): Promise<QueueStatus> {
  const { data } = await call<QueueStatus>('/api/queue/tokens', { method: 'POST', body: { concertId } });
  setQueueToken(concertId, data.token);
  return data;
}

export function ConcertPage({ id }: { id: number }) {
  const userId = useUserId();
  const [data, reload] = useLoad(async (signal) => {
    const [concert, schedules] = await Promise.all([get<Concert>(`/api/concerts/${id}`, { signal }), loadSchedules(id, signal)]);
    return { concert, schedules };
  }, [id]);
  const [error, setError] = useState<string>();
  const [soldOut, setSoldOut] = useState(false);
  const [busy, setBusy] = useState(false);
  useFocusHeading(data.state === 'ok' ? data.value.concert.title : undefined);

  const join = async () => {
    setError(undefined);
    setBusy(true);
    try {
      await joinLine(id);
      navigate(`/app/concerts/${id}/queue`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SOLD_OUT') setSoldOut(true);
      else setError(explain(err));
    } finally {
      setBusy(false);
    }
  };

  return html`<${Show} value=${data} retry=${reload} ok=${({ concert, schedules }: { concert: Concert; schedules: Schedule[] }) => html`
    <p class="crumbs"><${Link} href="/app/">All concerts<//></p>
    <h1>${concert.title}</h1>
    <p class="lead">${concert.artist} · ${concert.durationMinutes} min</p>
    ${concert.description ? html`<p>${concert.description}</p>` : null}
    <h2>Performances</h2>
    ${schedules.length === 0 ? html`<p>No performances scheduled.</p>` : html`<table class="schedules">
      <caption class="visually-hidden">Performances of ${concert.title}</caption>
      <thead><tr><th scope="col">When</th><th scope="col">Seats</th><th scope="col">Booking</th></tr></thead>
      <tbody>${schedules.map((s) => html`<tr key=${s.id}>
        <td>${dateTime(s.performanceAt)}</td>
        <td>${s.seatCount} (up to ${s.maxSeatsPerUser} per fan)</td>
        <td>${s.bookable ? html`<span class="badge ok">Open</span>` : html`<span class="badge">Opens ${dateTime(s.bookingOpenAt)}</span>`}</td>
      </tr>`)}</tbody>
    </table>`}
    <div class="actions">
      ${soldOut ? html`<${Alert} kind="warn"><strong>Sold out.</strong> Every seat for this concert has been sold.<//>` : userId === undefined
        ? html`<p>Sign in (above) to join the line for tickets.</p>`
        : queueToken(id)
          ? html`<${Link} class="button" href=${`/app/concerts/${id}/queue`}>Back to your place in line<//>`
          : html`<button type="button" class="primary" onClick=${join} disabled=${busy}>Join the line for tickets</button>`}
      ${error ? html`<${Alert}>${error}<//>` : null}
    </div>`} />`;
}
