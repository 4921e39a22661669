// The fans' pages: the layout, the sign-in state and the routes under /app.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { useUserId } from './hooks.ts';
import { Link, match, usePath, useFocusHeading } from './router.ts';
import { signOut } from './session.ts';
import { SignIn, type WebConfig } from './pages/sign-in.ts';
import { Concerts } from './pages/concerts.ts';
import { ConcertPage } from './pages/concert.ts';
import { WaitingRoom } from './pages/waiting-room.ts';
import { SeatMap } from './pages/seat-map.ts';
import { Checkout } from './pages/checkout.ts';
import { Confirmation } from './pages/confirmation.ts';
import { MyReservations } from './pages/reservations.ts';

/** Pages that act for the fan and so need a signed-in fan. */
const ROUTES: { path: string; signedIn: boolean; page: (p: Record<string, number>) => unknown }[] = [
  { path: '/app', signedIn: false, page: () => html`<${Concerts} />` },
  { path: '/app/concerts/:id', signedIn: false, page: (p) => html`<${ConcertPage} id=${p.id} key=${p.id} />` },
  { path: '/app/concerts/:id/queue', signedIn: true, page: (p) => html`<${WaitingRoom} concertId=${p.id} key=${p.id} />` },
  { path: '/app/concerts/:id/schedules/:sid', signedIn: true, page: (p) => html`<${SeatMap} concertId=${p.id} scheduleId=${p.sid} key=${p.sid} />` },
  { path: '/app/reservations/:id', signedIn: true, page: (p) => html`<${Checkout} id=${p.id} key=${p.id} />` },
  { path: '/app/reservations/:id/confirmed', signedIn: true, page: (p) => html`<${Confirmation} id=${p.id} key=${p.id} />` },
  { path: '/app/me', signedIn: true, page: () => html`<${MyReservations} />` },
];

function NotFound() {
  useFocusHeading('Page not found');
  return html`<h1>Page not found</h1><p><${Link} href="/app/">See the concerts<//></p>`;
}

export function App() {
  const path = usePath();
  const userId = useUserId();
  const [config, setConfig] = useState<WebConfig>();
  useEffect(() => {
    fetch('/app/config.json').then((r) => r.json() as Promise<WebConfig>).then(setConfig, () => setConfig({ devSignIn: false, signInUrl: null }));
  }, []);

  let route: { signedIn: boolean; page: () => unknown } | undefined;
  for (const r of ROUTES) {
    const params = match(r.path, path);
    if (params) { route = { signedIn: r.signedIn, page: () => r.page(params) }; break; }
  }

  return html`<a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <nav aria-label="Main">
        <${Link} class="brand" href="/app/">Encore<//>
        <${Link} href="/app/">Concerts<//>
        ${userId !== undefined ? html`<${Link} href="/app/me">My reservations<//>` : null}
      </nav>
      <div class="who">
        ${userId !== undefined
          ? html`<span data-testid="signed-in-as">Fan ${userId}</span> <button type="button" class="link" onClick=${signOut}>Sign out</button>`
          : html`<span>Not signed in</span>`}
      </div>
    </header>
    <main id="main" tabindex="-1">
      ${userId === undefined && config ? html`<${SignIn} config=${config} reason=${route?.signedIn ? 'Sign in to continue.' : undefined} />` : null}
      ${!route ? html`<${NotFound} />` : route.signedIn && userId === undefined ? null : route.page()}
    </main>
    <footer class="foot"><p>Encore · fair queues for big on-sales</p></footer>`;
}
