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
import { opening } from './scenarios/opening.ts';

const SCENARIOS: Record<string, Scenario> = { 'seed-plan': seedPlan, capacity, rush, 'hot-seat': hotSeat, scale, lobby, workers, opening };

const { positionals, args: parsedArgs } = parseCli(process.argv.slice(2));
const name = positionals[0];
const scenario = name ? SCENARIOS[name] : undefined;
if (!scenario) {
  console.error(`usage: npm run load -- <${Object.keys(SCENARIOS).join('|')}> [--url URL] [options]`);
  process.exit(2);
}
const args = parsedArgs;
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

/** `--key value`, `--key=value` and bare `--flag` (= "true"); everything else is positional. */
function parseCli(argv: string[]) {
  const positionals: string[] = [];
  const args: Record<string, string | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) { positionals.push(a); continue; }
    const [key, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) args[key] = inline;
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) args[key] = argv[++i];
    else args[key] = 'true';
  }
  return { positionals, args };
}
