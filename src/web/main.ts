// Entry point of the fans' bundle (esbuild: src/web/main.ts → dist/web/assets/app.js).
import { render } from 'preact';
import { html } from 'htm/preact';
import { App } from './app.ts';
import { takeTokenFromUrl } from './session.ts';

takeTokenFromUrl();
render(html`<${App} />`, document.getElementById('app')!);
