// `node load/profile-summary.ts <file.cpuprofile> [top]`: self time per function of a V8 CPU
// profile (from `node --cpu-prof`), grouped by function and file, to see what limits a process.
import { readFileSync } from 'node:fs';
import { parseCli } from '../src/platform/cli.ts';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number }
const { positionals: [file, topArg] } = parseCli({
  usage: 'node load/profile-summary.ts <file.cpuprofile> [top]',
  about: 'Self time per function and per package of a V8 CPU profile (from `node --cpu-prof`).',
  positionals: { '<file.cpuprofile>': 'the profile to read', '[top]': 'how many functions to list (default 25)' },
  options: {},
});
if (!file) {
  console.error('usage: node load/profile-summary.ts <file.cpuprofile> [top] (--help for every option)');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] };
const total = profile.samples.length;
const byFn = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const n of profile.nodes) {
  if (!n.hitCount) continue;
  const url = n.callFrame.url.replace(/^file:\/\/.*?node_modules\//, '').replace(/^file:\/\/.*?\/(src|load)\//, '$1/');
  const key = `${n.callFrame.functionName || '(anonymous)'}  ${url}:${n.callFrame.lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + n.hitCount);
  const pkg = url.startsWith('src/') ? 'encore src' : url === '' ? `(${n.callFrame.functionName})` : url.startsWith('node:') ? 'node internals' : url.split('/')[0]!.startsWith('@') ? url.split('/').slice(0, 2).join('/') : url.split('/')[0]!;
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + n.hitCount);
}
const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`;
console.log(`${total} samples`);
console.log('\nby package/area:');
for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(v).padStart(6)}  ${k}`);
console.log('\nby function (self time):');
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25))) console.log(`  ${pct(v).padStart(6)}  ${k}`);
