// A held reservation: a countdown of the hold, the wallet, "top up" when it is short, pay, or
// release the seats. Payment is a job; its result is pushed or long-polled like the hold's.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, get, newKey, type Accepted, type Reservation } from '../api.ts';
import { countdown, money, seatList } from '../format.ts';
import { useLoad, useNow } from '../hooks.ts';
import { waitForJob } from '../jobs.ts';
import { explain } from '../messages.ts';
import { Link, navigate, useFocusHeading } from '../router.ts';
import { queueToken } from '../session.ts';
import { Alert, Note, Show } from '../ui.ts';

async function runJob(path: string, body: unknown, token?: string | null): Promise<unknown> {
  const { data } = await call<Accepted>(path, { method: 'POST', body, queueToken: token, idempotencyKey: newKey() });
  const job = await waitForJob(data.jobId);
  if (job.state === 'failed') throw new ApiError(409, job.error?.code ?? 'JOB_FAILED', job.error?.message ?? 'It did not go through.', job.error?.details ?? {});
  return job.result;
}

export function Checkout({ id }: { id: number }) {
  const [data, reload] = useLoad(async (signal) => {
    const [reservation, wallet] = await Promise.all([
      get<Reservation>(`/api/reservations/${id}`, { signal }),
      get<{ balance: number }>('/api/wallet', { signal }),
    ]);
    return { reservation, balance: wallet.balance };
  }, [id]);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const now = useNow(1000);
  useFocusHeading('Your seats are held');
  // Paying needs the fan's turn to still be active: asking for its status now and then tells the
  // waiting room the fan is still here (an idle turn is given to the next fan).
  const concertId = data.state === 'ok' ? data.value.reservation.concertId : undefined;
  useEffect(() => {
    const token = concertId === undefined ? null : queueToken(concertId);
    if (!token) return undefined;
    const t = setInterval(() => void get('/api/queue/status', { queueToken: token }).catch(() => undefined), 30_000);
    return () => clearInterval(t);
  }, [concertId]);

  const act = async (label: string, run: () => Promise<void>) => {
    setBusy(label);
    setError(undefined);
    setDone(undefined);
    try { await run(); } catch (err) { setError(explain(err)); } finally { setBusy(undefined); }
  };

  return html`<${Show} value=${data} retry=${reload} ok=${({ reservation: r, balance }: { reservation: Reservation; balance: number }) => {
    const left = Date.parse(r.expiresAt) - now;
    const expired = r.status === 'PENDING' && left <= 0;
    const short = Math.max(0, r.totalAmount - balance);
    const token = queueToken(r.concertId);
    const pay = () => act('Paying…', async () => {
      await runJob('/api/payments', { reservationId: r.reservationId }, token);
      navigate(`/app/reservations/${r.reservationId}/confirmed`);
    });
    const topUp = () => act('Topping up…', async () => {
      await runJob('/api/wallet/charges', { amount: short });
      setDone(`Added ${money(short)} to your wallet.`);
      reload();
    });
    const release = () => act('Releasing…', async () => {
      const { data: accepted } = await call<Accepted>(`/api/reservations/${r.reservationId}`, { method: 'DELETE', idempotencyKey: newKey() });
      await waitForJob(accepted.jobId);
      navigate(`/app/concerts/${r.concertId}/schedules/${r.scheduleId}`);
    });

    if (r.status === 'CONFIRMED') {
      return html`<h1>Already paid</h1><p>This reservation is confirmed.</p>
        <p><${Link} class="button" href=${`/app/reservations/${r.reservationId}/confirmed`}>See the confirmation<//></p>`;
    }
    if (r.status !== 'PENDING' || expired) {
      return html`<h1>Hold ended</h1>
        <${Alert} kind="warn">${r.status === 'RELEASED' ? 'You released these seats.' : 'Your hold expired and the seats went back on sale.'}<//>
        <p><${Link} class="button" href=${`/app/concerts/${r.concertId}/schedules/${r.scheduleId}`}>Back to the seat map<//></p>`;
    }
    return html`<h1>Your seats are held</h1>
      <section class="card checkout" aria-labelledby="hold-title">
        <h2 id="hold-title">Reservation #${r.reservationId}: ${seatList(r.seats.map((s) => s.seatNumber))}</h2>
        <p class="timer">Time left to pay: <strong role="timer" aria-live="off" data-testid="hold-countdown">${countdown(left)}</strong></p>
        ${left < 60_000 ? html`<${Note}>Less than a minute left on your hold.<//>` : null}
        <table class="lines">
          <caption class="visually-hidden">Seats and prices</caption>
          <tbody>${r.seats.map((s) => html`<tr key=${s.seatNumber}><th scope="row">Seat ${s.seatNumber}</th><td>${money(s.price)}</td></tr>`)}</tbody>
          <tfoot><tr><th scope="row">Total</th><td><strong>${money(r.totalAmount)}</strong></td></tr></tfoot>
        </table>
        <p>Wallet balance: <strong data-testid="balance">${money(balance)}</strong></p>
        ${error ? html`<${Alert}>${error}<//>` : null}
        ${done ? html`<${Note}>${done}<//>` : null}
        ${busy ? html`<p role="status">${busy}</p>` : null}
        ${short > 0 ? html`<p>Your wallet is ${money(short)} short.</p>
          <button type="button" class="primary" onClick=${topUp} disabled=${!!busy}>Top up ${money(short)}</button>`
          : html`<button type="button" class="primary" onClick=${pay} disabled=${!!busy}>Pay ${money(r.totalAmount)}</button>`}
        <button type="button" class="secondary" onClick=${release} disabled=${!!busy}>Release these seats</button>
      </section>`;
  }} />`;
}
