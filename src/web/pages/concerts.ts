// The concert list.
import { html } from 'htm/preact';
import { get, type Concert } from '../api.ts';
import { useLoad } from '../hooks.ts';
import { Link, useFocusHeading } from '../router.ts';
import { Show } from '../ui.ts';

export function Concerts() {
  const [concerts, reload] = useLoad((signal) => get<Concert[]>('/api/concerts', { signal }), []);
  useFocusHeading('Concerts');
  return html`<h1>Concerts</h1>
    <${Show} value=${concerts} retry=${reload} ok=${(list: Concert[]) =>
      list.length === 0
        ? html`<p>No concerts yet.</p>`
        : html`<ul class="cards" aria-label="Concerts">
            ${list.map((c) => html`<li class="card" key=${c.id}>
              <h2><${Link} href=${`/app/concerts/${c.id}`}>${c.title}<//></h2>
              <p class="muted">${c.artist} · ${c.durationMinutes} min</p>
            </li>`)}
          </ul>`} />`;
}
