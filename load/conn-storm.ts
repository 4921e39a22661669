// How fast the API takes new connections: `node load/conn-storm.ts [--n 4000] [--port 3000]`.
// Opens --n TCP connections at once, each sending one GET, and reports how long until each got
// its first response byte. Beside a rush, watch the API's accept queue with
// `ss -ltn 'sport = :3000'` (Recv-Q: connections waiting for the API to accept them).
import net from 'node:net';
import { parseCli } from '../src/platform/cli.ts';

const { values: o } = parseCli({
  usage: 'node load/conn-storm.ts [--n 4000] [--port 3000] [--path /health/live]',
  about: 'Opens N connections at once to the API, one GET each; time to the first response byte.',
  options: {
    n: { type: 'string', default: '4000', help: 'connections opened at once' },
    port: { type: 'string', default: '3000', help: 'the API port on 127.0.0.1' },
    path: { type: 'string', default: '/health/live', help: 'the path each connection asks for' },
  },
});

const started = performance.now();
const times: number[] = [];
let errors = 0;
await Promise.all(Array.from({ length: Number(o.n) }, () => new Promise<void>((resolve) => {
  const start = performance.now();
  const socket = net.connect(Number(o.port), '127.0.0.1', () => socket.write(`GET ${o.path} HTTP/1.1\r\nHost: encore\r\n\r\n`));
  socket.once('data', () => { times.push(performance.now() - start); socket.destroy(); resolve(); });
  socket.once('error', () => { errors++; resolve(); });
})));
times.sort((a, b) => a - b);
const at = (q: number) => Math.round(times[Math.floor(q * (times.length - 1))] ?? NaN);
console.log(`${o.n} connections answered in ${Math.round(performance.now() - started)} ms; first byte p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; errors ${errors}`);
