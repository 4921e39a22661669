// Shared pieces of the pages: messages announced to assistive technology, loading and errors.
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { explain } from './messages.ts';
import type { Loaded } from './hooks.ts';

/** An urgent message (role=alert is announced at once). */
export const Alert = ({ children, kind = 'error' }: { children: ComponentChildren; kind?: 'error' | 'warn' }) =>
  html`<div class=${`notice notice-${kind}`} role="alert">${children}</div>`;

/** A polite status message. */
export const Note = ({ children }: { children: ComponentChildren }) => html`<p class="notice notice-info" role="status">${children}</p>`;

export const Spinner = ({ label = 'Loading…' }: { label?: string }) => html`<p class="loading" role="status">${label}</p>`;

/** Renders a Loaded value: a spinner, an error with "Try again", or `ok(value)`. */
export function Show<T>({ value, retry, ok }: { value: Loaded<T>; retry?: () => void; ok: (v: T) => ComponentChildren }) {
  if (value.state === 'loading') return html`<${Spinner} />`;
  if (value.state === 'error') {
    return html`<${Alert}>${explain(value.error)} ${retry ? html`<button type="button" class="link" onClick=${retry}>Try again</button>` : null}<//>`;
  }
  return html`${ok(value.value)}`;
}
