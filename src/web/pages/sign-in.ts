// Signing in. In development and test the API offers POST /api/dev/tokens ("sign in as fan N");
// in production the fan signs in at the identity provider (WEB_SIGN_IN_URL), which sends them back
// to /app/#access_token=<JWT>, or pastes a token it gave them. See docs/fan-pages.md.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { call } from '../api.ts';
import { explain } from '../messages.ts';
import { signIn, userIdOf } from '../session.ts';
import { Alert } from '../ui.ts';

export interface WebConfig { devSignIn: boolean; signInUrl: string | null }

export function SignIn({ config, reason }: { config: WebConfig; reason?: string }) {
  const [fan, setFan] = useState('1');
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const devSignIn = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const userId = Number(fan);
    if (!Number.isInteger(userId) || userId < 1) return setError('Enter a fan number (1 or more).');
    setBusy(true);
    try {
      const { data } = await call<{ token: string }>('/api/dev/tokens', { method: 'POST', body: { userId } });
      signIn(data.token);
    } catch (err) {
      setError(explain(err));
    } finally {
      setBusy(false);
    }
  };
  const usePasted = (e: Event) => {
    e.preventDefault();
    const token = pasted.trim().replace(/^Bearer\s+/i, '');
    if (userIdOf(token) === undefined) return setError('That does not look like a valid, unexpired token.');
    signIn(token);
  };

  return html`<section class="card sign-in" aria-labelledby="sign-in-title">
    <h2 id="sign-in-title">Sign in</h2>
    ${reason ? html`<p>${reason}</p>` : null}
    ${error ? html`<${Alert}>${error}<//>` : null}
    ${config.devSignIn ? html`<form onSubmit=${devSignIn} class="row">
      <label for="fan-number">Fan number <span class="hint">(development sign-in)</span></label>
      <input id="fan-number" name="fan" type="number" inputmode="numeric" min="1" required value=${fan} onInput=${(e: Event) => setFan((e.target as HTMLInputElement).value)} />
      <button type="submit" disabled=${busy}>Sign in as fan ${fan || 'N'}</button>
    </form>` : null}
    ${config.signInUrl ? html`<p><a class="button" href=${config.signInUrl}>Sign in with your account</a></p>` : null}
    <details open=${!config.devSignIn && !config.signInUrl}>
      <summary>Use an access token</summary>
      <form onSubmit=${usePasted}>
        <label for="access-token">Access token from your identity provider</label>
        <textarea id="access-token" rows="3" spellcheck="false" autocomplete="off" value=${pasted} onInput=${(e: Event) => setPasted((e.target as HTMLTextAreaElement).value)}></textarea>
        <button type="submit">Use this token</button>
      </form>
    </details>
  </section>`;
}
