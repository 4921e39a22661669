// Copies the non-TypeScript files the runtime loads (Lua scripts) from src/ into dist/, keeping
// their relative paths, because tsc only emits .js.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const src = 'src';
const out = 'dist';
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });

const assets = walk(src).filter((p) => p.endsWith('.lua'));
for (const file of assets) cpSync(file, join(out, relative(src, file)));
console.log(`copied ${assets.length} asset(s) into ${out}/`);
