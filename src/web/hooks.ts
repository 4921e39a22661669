// Small state helpers shared by the pages.
import { useEffect, useState } from 'preact/hooks';
import { currentUserId, onSessionChange } from './session.ts';

export type Loaded<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; error: unknown };

/** Runs `load` when `deps` change; `reload()` runs it again. Stale answers are dropped. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    const ac = new AbortController();
    load(ac.signal).then(
      (value) => { if (!ac.signal.aborted) setResult({ state: 'ok', value }); },
      (error: unknown) => { if (!ac.signal.aborted) setResult({ state: 'error', error }); },
    );
    return () => ac.abort();
  }, [...deps, round]);
  return [result, () => setRound((r) => r + 1)];
}

/** The signed-in fan's id, updated on sign-in and sign-out. */
export function useUserId(): number | undefined {
  const [id, setId] = useState(currentUserId());
  useEffect(() => onSessionChange(() => setId(currentUserId())), []);
  return id;
}

/** Re-renders every `ms` (countdowns). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
