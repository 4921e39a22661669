// A tiny history router: paths under /app, links that navigate without a reload, and focus moved
// to the new page's heading so screen-reader and keyboard users land where the content is.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

const NAVIGATE = 'encore:navigate';

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE));
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const on = () => setPath(location.pathname);
    window.addEventListener('popstate', on);
    window.addEventListener(NAVIGATE, on);
    return () => {
      window.removeEventListener('popstate', on);
      window.removeEventListener(NAVIGATE, on);
    };
  }, []);
  return path;
}

/** Matches `/app/concerts/:id` style patterns; numeric params only (every id here is a number). */
export function match(pattern: string, path: string): Record<string, number> | undefined {
  const p = pattern.split('/').filter(Boolean);
  const s = path.replace(/\/+$/, '').split('/').filter(Boolean);
  if (p.length !== s.length) return undefined;
  const params: Record<string, number> = {};
  for (let i = 0; i < p.length; i++) {
    const want = p[i]!;
    const got = s[i]!;
    if (want.startsWith(':')) {
      if (!/^[1-9]\d{0,14}$/.test(got)) return undefined;
      params[want.slice(1)] = Number(got);
    } else if (want !== got) return undefined;
  }
  return params;
}

export function Link({ href, children, class: cls, ...rest }: { href: string; children?: ComponentChildren; class?: string; [k: string]: unknown }) {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return html`<a href=${href} class=${cls} onClick=${onClick} ...${rest}>${children}</a>`;
}

/** Puts keyboard focus on the page's h1 after a navigation, and names the document after it. */
export function useFocusHeading(title: string | undefined): void {
  useEffect(() => {
    if (!title) return;
    document.title = `${title} · Encore`;
    const h1 = document.querySelector<HTMLElement>('main h1');
    if (h1 && document.activeElement !== h1 && !h1.contains(document.activeElement)) {
      h1.setAttribute('tabindex', '-1');
      h1.focus({ preventScroll: false });
    }
  }, [title]);
}
