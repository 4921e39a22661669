// The rush with 1, 2 and 4 worker processes (--workers 1,2,4): for each count it resets the sales
// (`npm run load:reset`), starts an API and that many workers on this machine with the shell's
// environment, runs the rush, and stops them. Shows how confirmed reservations/s change with workers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { Scenario, ScenarioContext } from '../lib/context.ts';
import { Recorder } from '../lib/recorder.ts';
import { LoadClient } from '../lib/http.ts';
import { sleep } from '../lib/vu.ts';
import { rush } from './rush.ts';

export const scale: Scenario = async (ctx) => {
  const counts = (ctx.args.workers ?? '1,2,4').split(',').map(Number);
  const port = new URL(ctx.url).port || '3000';
  const env = { ...process.env, PORT: port, LOG_LEVEL: 'warn', NODE_ENV: process.env.NODE_ENV ?? 'development', RATE_LIMITS: process.env.RATE_LIMITS ?? 'off' };
  const runs: Record<string, unknown> = {};
  const started = Date.now();
  for (const workers of counts) {
    // The reset refuses production settings by design; it runs with development ones here.
    const reset = spawnSync(process.execPath, ['src/cli/reset-sales.ts'], { env: { ...env, NODE_ENV: 'development' }, encoding: 'utf8' });
    if (reset.status !== 0) throw new Error(`reset failed: ${reset.stderr}`);
    const procs: ChildProcess[] = [spawn(process.execPath, ['src/api/server.ts'], { env, stdio: 'inherit' })];
    for (let i = 0; i < workers; i++) procs.push(spawn(process.execPath, ['src/workers/main.ts'], { env, stdio: 'inherit' }));
    try {
      await waitReady(ctx.url);
      const recorder = new Recorder();
      const client = new LoadClient(ctx.url, recorder, ctx.num('http-connections', 6000));
      recorder.startProgress(`scale ${workers} worker(s)`);
      const sub: ScenarioContext = { ...ctx, recorder, client };
      const result = await rush(sub);
      recorder.stopProgress();
      await client.close();
      const summary = recorder.summary(result.durationSeconds);
      const failures = Object.fromEntries(Object.entries(summary.endpoints).filter(([, e]) => e.errors > 0).map(([k, e]) => [k, e.statuses]));
      runs[`${workers} worker(s)`] = {
        ...result.extra, failures, holdSubmitToResultMs: summary.timingsMs['hold submit-to-result'], paySubmitToResultMs: summary.timingsMs['payment submit-to-result'],
      };
      console.log(`\n${workers} worker(s):`, JSON.stringify(runs[`${workers} worker(s)`]));
    } finally {
      for (const p of procs) p.kill('SIGTERM');
      await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
    }
  }
  return { durationSeconds: (Date.now() - started) / 1000, parameters: { workers: counts, users: ctx.num('users', 20_000) }, extra: runs };
};

async function waitReady(url: string) {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch { /* not up yet */ }
    await sleep(250);
  }
  throw new Error(`API at ${url} did not become ready`);
}
