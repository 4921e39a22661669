// The waiting room: the fan's place in line, moving live. Server push where the API offers it,
// paced polling otherwise (queue.ts). When the fan is admitted it lists the performances to book.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { call, get, type ApiError, type Concert, type QueueStatus, type Schedule } from '../api.ts';
import { clock, dateTime, duration } from '../format.ts';
import { useLoad, useNow } from '../hooks.ts';
import { explain } from '../messages.ts';
import { watchQueue, type Transport } from '../queue.ts';
import { Link, navigate, useFocusHeading } from '../router.ts';
import { queueToken, setQueueToken } from '../session.ts';
import { Alert, Show, Spinner } from '../ui.ts';
import { joinLine, loadSchedules } from './concert.ts';

const REASONS: Record<string, string> = {
  BEFORE_OPENING: 'The sale has not opened yet. Everyone who joins before the opening gets a random place at the opening time, so there is no need to hurry.',
  PAUSED: 'The organizer has paused the sale for a moment. You keep your place in line.',
  ALL_SEATS_HELD: 'Every remaining seat is held right now by fans who are paying. You keep your place and move up as holds end.',
};

export function WaitingRoom({ concertId }: { concertId: number }) {
  const [token, setToken] = useState(queueToken(concertId));
  const [status, setStatus] = useState<QueueStatus>();
  const [via, setVia] = useState<Transport>();
  const [problem, setProblem] = useState<ApiError>();
  const [joinError, setJoinError] = useState<string>();
  const firstPosition = useRef<number>(0);
  const [concert] = useLoad((signal) => get<Concert>(`/api/concerts/${concertId}`, { signal }), [concertId]);

  // No token yet (a shared link, a new tab): join; the server returns the existing place if any.
  useEffect(() => {
    if (token) return;
    joinLine(concertId).then((s) => { setStatus(s); setToken(s.token); }, (err: ApiError) => {
      if (err.code === 'SOLD_OUT') setStatus({ state: 'SOLD_OUT', concertId, token: '' });
      else setJoinError(explain(err));
    });
  }, [concertId, token]);

  useEffect(() => {
    if (!token) return undefined;
    setProblem(undefined);
    return watchQueue(token, {
      onStatus: (s, how) => {
        setStatus(s);
        setVia(how);
        setProblem(undefined);
        if (s.state === 'WAITING' && s.position && s.position > firstPosition.current) firstPosition.current = s.position;
      },
      onProblem: setProblem,
    });
  }, [token]);

  const leave = async () => {
    if (token) await call('/api/queue/tokens/current', { method: 'DELETE', queueToken: token }).catch(() => undefined);
    setQueueToken(concertId, null);
    navigate(`/app/concerts/${concertId}`);
  };
  const rejoin = () => {
    setQueueToken(concertId, null);
    setStatus(undefined);
    setToken(null);
  };

  const title = concert.state === 'ok' ? concert.value.title : 'the concert';
  useFocusHeading(status?.state === 'ACTIVE' ? 'It is your turn' : 'Waiting room');
  const heading = status?.state === 'ACTIVE' ? 'It is your turn!' : status?.state === 'SOLD_OUT' ? 'Sold out' : 'Waiting room';
  const lostToken = problem && ['QUEUE_TOKEN_NOT_FOUND', 'QUEUE_TOKEN_INVALID', 'QUEUE_TOKEN_FORBIDDEN', 'QUEUE_RESET'].includes(problem.code);

  return html`<p class="crumbs"><${Link} href=${`/app/concerts/${concertId}`}>${title}<//></p>
    <h1>${heading}</h1>
    <section class="card queue" aria-labelledby="queue-state" data-state=${status?.state ?? 'LOADING'}>
      <h2 id="queue-state" class="visually-hidden">Your place in line for ${title}</h2>
      ${joinError ? html`<${Alert}>${joinError}<//>` : null}
      ${lostToken ? html`<${Alert}>${explain(problem)} <button type="button" class="link" onClick=${rejoin}>Join the line again</button><//>`
        : problem ? html`<${Alert} kind="warn">${explain(problem)}<//>` : null}
      ${!status ? html`<${Spinner} label="Finding your place in line…" />`
        : status.state === 'WAITING' ? html`<${Waiting} status=${status} first=${firstPosition.current} />`
        : status.state === 'ACTIVE' ? html`<${Admitted} concertId=${concertId} status=${status} />`
        : status.state === 'SOLD_OUT' ? html`<div role="status" class="sold-out"><p class="big">Sold out</p><p>Every seat for ${title} has been sold. Thank you for waiting.</p></div>`
        : html`<div role="status"><p class="big">Your place has expired</p><p>You stopped following the line for a while, or your turn ended.</p>
            <button type="button" class="primary" onClick=${rejoin}>Join the line again</button></div>`}
      ${via ? html`<p class="muted small">${via === 'push' ? 'Live: updates arrive as they happen.' : 'Updating automatically.'}</p>` : null}
    </section>
    ${status && status.state !== 'SOLD_OUT' && status.state !== 'EXPIRED'
      ? html`<p><button type="button" class="secondary" onClick=${leave}>Leave the line</button></p>` : null}`;
}

function Waiting({ status, first }: { status: QueueStatus; first: number }) {
  if (status.reason === 'BEFORE_OPENING') return html`<${PreQueue} status=${status} />`;
  const position = status.position ?? 0;
  const start = Math.max(first, position, 1);
  // Progress from the place the fan first saw to the front of the line.
  const done = start - position + 1;
  const reason = status.reason ? REASONS[status.reason] : undefined;
  return html`<div class="waiting">
    <p class="position" role="status" aria-live="polite" aria-atomic="true">
      <span class="visually-hidden">Your place in line: </span><span class="big" data-testid="position">${position}</span>
      <span class="of">${status.waitingCount && status.waitingCount >= position ? ` of ${status.waitingCount} waiting` : ' in line'}</span>
    </p>
    <label class="progress-label" for="queue-progress">Progress to the front of the line</label>
    <progress id="queue-progress" max=${start + 1} value=${done}>${Math.round((done / (start + 1)) * 100)}%</progress>
    ${status.reason === 'BEFORE_OPENING' && status.saleOpensAt ? html`<p>The sale opens at <strong>${dateTime(status.saleOpensAt)}</strong>.</p>` : null}
    ${reason ? html`<p class="reason" data-reason=${status.reason}>${reason}</p>`
      : html`<p>Estimated wait: <strong data-testid="eta">${duration(status.estimatedWaitSeconds ?? NaN)}</strong></p>`}
    <p class="muted">Keep this page open: you will move to seat selection as soon as it is your turn. Leaving the page for long gives your place away.</p>
  </div>`;
}

/** In the pre-queue: no place yet; it is drawn at the opening (docs/fairness.md). */
function PreQueue({ status }: { status: QueueStatus }) {
  return html`<div class="waiting">
    <p class="position" role="status" aria-live="polite" aria-atomic="true">
      <span class="big" data-testid="pre-queue">You are in the line</span>
      ${status.waitingCount ? html`<span class="of"> with ${status.waitingCount} fans waiting for the opening</span>` : null}
    </p>
    ${status.saleOpensAt ? html`<p>The sale opens at <strong>${dateTime(status.saleOpensAt)}</strong>.</p>` : null}
    <p class="reason" data-reason="BEFORE_OPENING">${REASONS.BEFORE_OPENING}</p>
    ${status.entrantId ? html`<p class="muted small">Your entrant id, to check the draw after the opening: <code data-testid="entrant-id">${status.entrantId}</code></p>` : null}
    <p class="muted">Keep this page open: your place appears here at the opening.</p>
  </div>`;
}

function Admitted({ concertId, status }: { concertId: number; status: QueueStatus }) {
  const [schedules, reload] = useLoad((signal) => loadSchedules(concertId, signal), [concertId]);
  const now = useNow(15_000);
  const until = status.activeUntil ? Date.parse(status.activeUntil) : undefined;
  return html`<div role="status"><p class="big">You are in!</p>
    <p>Choose a performance and pick your seats${until && until > now ? html` before <strong>${clock(status.activeUntil!)}</strong>` : null}.</p></div>
    <${Show} value=${schedules} retry=${reload} ok=${(list: Schedule[]) => html`<ul class="choices">
      ${list.filter((s) => s.bookable).map((s) => html`<li key=${s.id}>
        <${Link} class="button primary" href=${`/app/concerts/${concertId}/schedules/${s.id}`}>Choose seats for ${dateTime(s.performanceAt)}<//>
      </li>`)}
      ${list.some((s) => s.bookable) ? null : html`<li>No performance is open for booking right now.</li>`}
    </ul>`} />`;
}
