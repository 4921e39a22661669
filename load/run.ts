// `npm run load -- <scenario> [--url http://127.0.0.1:3000] [--jwt-secret …] [scenario options]`
// Runs a load scenario against a running Encore, prints a live progress line and a summary, and
// writes load/results/<scenario>-<timestamp>/{summary.json,report.html}.
import { Recorder } from './lib/recorder.ts';
import { LoadClient, preflight, PreflightError } from './lib/http.ts';
import { Identity } from './lib/identity.ts';
import { machine, printSummary, writeReport } from './lib/report.ts';
import type { Scenario, ScenarioContext } from './lib/context.ts';
import { seedPlan } from './scenarios/seed-plan.ts';
import { capacity } from './scenarios/capacity.ts';
import { rush } from './scenarios/rush.ts';
import { hotSeat } from './scenarios/hot-seat.ts';
import { scale } from './scenarios/scale.ts';
import { workers } from './scenarios/workers.ts';
import { lobby } from './scenarios/lobby.ts';
import { flood } from './scenarios/flood.ts';
import { opening } from './scenarios/opening.ts';
import { parseCli } from '../src/platform/cli.ts';

const SCENARIOS: Record<string, Scenario> = { 'seed-plan': seedPlan, capacity, rush, 'hot-seat': hotSeat, scale, lobby, workers, flood, opening };

/** Each scenario's own options (read by the scenario through ctx.args / ctx.num), for --help. */
const SCENARIO_OPTIONS: Record<string, string> = {
  'seed-plan': '--users 730, --duration 120 (s), --ramp 30 (s), --user-base 100000',
  capacity: '--duration 15 (s per phase), --connections 64, --user-base 200000',
  rush: '--users 20000, --arrival 10 (s), --abandon 0.05, --limit 900, --sse 0 (fraction on SSE), --user-base 1',
  'hot-seat': '--n 500, --concert-index 3, --user-base 1',
  scale: '--workers 1,2,4 (worker counts), and the rush options',
  lobby: '--waiting 1000000, --pollers 20000, --duration 60, --sse 0, --join-concurrency 256, --concert <id>, --api-pid <pid>, --admit, --keep, --user-base 1',
  workers: '--n 200, --workers 1, --profile',
  flood: '--fans 200, --user-base 15001, --flood-user 19999 (server: RATE_LIMITS on, TRUST_PROXY=true)',
  opening: '--waiting 1000000 (pre-queue size; Redis only: REDIS_URL, REDIS_PREFIX)',
};
const { values: own, positionals, extra } = parseCli({
  usage: `npm run load -- <${Object.keys(SCENARIOS).join('|')}> [--url URL] [options]`,
  about: 'Runs a load scenario against a running Encore, prints a live progress line and a summary, and writes\n'
    + 'load/results/<scenario>-<timestamp>/{summary.json,report.html} (load/README.md).\n\nScenario options:\n'
    + Object.entries(SCENARIO_OPTIONS).map(([s, o]) => `  ${s.padEnd(10)} ${o}`).join('\n'),
  positionals: { '<scenario>': `one of ${Object.keys(SCENARIOS).join(', ')}` },
  options: {
    url: { type: 'string', help: 'the Encore under test (default ENCORE_URL, else http://127.0.0.1:3000)' },
    'jwt-secret': { type: 'string', help: "the server's JWT_SECRET, to mint fans' tokens (default JWT_SECRET, else the development secret)" },
    'http-connections': { type: 'string', help: 'HTTP connections of the client pool (default 6000 for rush, scale and hot-seat, else 256)' },
  },
  extra: { help: 'a scenario option (above); a bare --flag means "true"' },
});
const name = positionals[0];
const scenario = name ? SCENARIOS[name] : undefined;
if (!scenario) {
  console.error(`usage: npm run load -- <${Object.keys(SCENARIOS).join('|')}> [--url URL] [options] (--help for every option)`);
  process.exit(2);
}
// Scenarios read their options, and the runner's own, from one string map (ScenarioContext.args).
const args: Record<string, string | undefined> = { ...extra, ...own };
const url = args.url ?? process.env.ENCORE_URL ?? 'http://127.0.0.1:3000';
const secret = args['jwt-secret'] ?? process.env.JWT_SECRET ?? 'encore-development-secret-do-not-use-in-production';
const recorder = new Recorder();
const num = (key: string, fallback: number) => {
  const v = args[key];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new PreflightError(`--${key} must be a number (got ${v}).`);
  return n;
};
const identity = new Identity(secret);

// Operator mistakes (no server, another JWT_SECRET, nothing seeded, a bad option) end the run with
// one sentence and exit 1, never a stack trace.
try {
  // `workers` talks to BullMQ and MySQL directly, `opening` to Redis only, and `scale` starts its own API: no server to check.
  if (name !== 'workers' && name !== 'scale' && name !== 'opening') await preflight(url, await identity.token(1));
  await run();
} catch (err) {
  recorder.stopProgress();
  console.error(`load: ${err instanceof PreflightError ? err.message : `the run failed: ${(err as Error).message}`}`);
  process.exit(1);
}

async function run() {
  // Whether the server under test rate-limits (it says so in /health/ready): a run from one machine
  // against limits measures the limiter, not the system. Printed and recorded in the summary.
  const serverRateLimits = await fetch(`${url}/health/ready`).then(async (r) => ((await r.json()) as { rateLimits?: string }).rateLimits ?? 'unknown', () => 'unknown');
  console.log(`server rate limits: ${serverRateLimits}${serverRateLimits === 'on' ? ' (one machine shares one IP: start the server with RATE_LIMITS=off for capacity runs)' : ''}`);
  // Fans long-poll their jobs (?waitMs=) and each holds a connection meanwhile, as a real browser
  // would: the journey scenarios get enough connections that the generator never queues them.
  const journey = ['rush', 'scale', 'hot-seat'].includes(name!);
  const client = new LoadClient(url, recorder, num('http-connections', journey ? 6000 : 256));
  const ctx: ScenarioContext = { url, client, recorder, identity, args, num };

  const startedAt = new Date().toISOString();
  recorder.startProgress(name!);
  try {
    const result = await scenario!(ctx);
    recorder.stopProgress();
    const report = {
      scenario: name!, startedAt, parameters: { url, serverRateLimits, ...result.parameters }, machine: machine(),
      summary: recorder.summary(result.durationSeconds), extra: result.extra, goals: result.goals,
    };
    printSummary(report);
    console.log(`report: ${writeReport(report)}/report.html`);
  } finally {
    recorder.stopProgress();
    await client.close();
  }
}
