// Builds the fans' pages (src/web) into one small bundle with esbuild: dist/web/index.html and
// dist/web/assets/{app.js,app.css}. Everything is bundled (Preact, htm): no CDN, works offline.
//   node scripts/build-web.ts [outDir]     (default dist/web; `npm run build` runs it)
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

export async function buildWeb(outDir = join(root, 'dist', 'web')): Promise<void> {
  mkdirSync(join(outDir, 'assets'), { recursive: true });
  await build({
    entryPoints: [join(root, 'src', 'web', 'main.ts')],
    outfile: join(outDir, 'assets', 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  cpSync(join(root, 'src', 'web', 'app.css'), join(outDir, 'assets', 'app.css'));
  cpSync(join(root, 'src', 'web', 'index.html'), join(outDir, 'index.html'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : undefined;
  await buildWeb(out);
  console.log(`built the fans' pages into ${out ?? 'dist/web'}/`);
}
