// What the fan's browser remembers, in sessionStorage (per tab, gone when the tab closes): the
// bearer token, one queue token per concert, and the reservations made here. The server has no
// "list my reservations" endpoint, so "My reservations" is built from this list.
type Listener = () => void;
const listeners = new Set<Listener>();
const JWT = 'encore.jwt';

function read(key: string): string | null {
  try { return sessionStorage.getItem(key); } catch { return null; }
}
function write(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch { /* storage disabled: the session lasts as long as the page */ }
}

export function onSessionChange(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
const changed = () => listeners.forEach((fn) => fn());

/** The JWT's subject, read without verifying it (the server verifies; this only labels the page). */
export function userIdOf(jwt: string): number | undefined {
  try {
    const payload = jwt.split('.')[1] ?? '';
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string; exp?: number };
    if (json.exp !== undefined && json.exp * 1000 < Date.now()) return undefined;
    return json.sub && /^\d+$/.test(json.sub) ? Number(json.sub) : undefined;
  } catch {
    return undefined;
  }
}

export function bearer(): string | null {
  const jwt = read(JWT);
  return jwt && userIdOf(jwt) !== undefined ? jwt : null;
}
export function currentUserId(): number | undefined {
  const jwt = bearer();
  return jwt ? userIdOf(jwt) : undefined;
}
export function signIn(jwt: string): void {
  write(JWT, jwt);
  changed();
}
export function signOut(): void {
  try { sessionStorage.clear(); } catch { /* nothing stored */ }
  changed();
}

const queueKey = (concertId: number) => `encore.queue.${currentUserId() ?? 0}.${concertId}`;
export const queueToken = (concertId: number) => read(queueKey(concertId));
export const setQueueToken = (concertId: number, token: string | null) => write(queueKey(concertId), token);

export interface KeptReservation { reservationId: number; concertId: number; scheduleId: number }
const keptKey = () => `encore.reservations.${currentUserId() ?? 0}`;
export function keptReservations(): KeptReservation[] {
  try { return JSON.parse(read(keptKey()) ?? '[]') as KeptReservation[]; } catch { return []; }
}
export function keepReservation(r: KeptReservation): void {
  const list = keptReservations().filter((k) => k.reservationId !== r.reservationId);
  write(keptKey(), JSON.stringify([r, ...list].slice(0, 50)));
}

/** An identity provider sends the fan back to /app/#access_token=<JWT>: take it and tidy the URL. */
export function takeTokenFromUrl(): void {
  const m = /(?:^#|&)access_token=([^&]+)/.exec(location.hash);
  if (!m?.[1]) return;
  signIn(decodeURIComponent(m[1]));
  history.replaceState(null, '', location.pathname + location.search);
}
