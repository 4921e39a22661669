// The abuse comparison of issue #12: the same small rush twice, first alone, then while one
// account floods charges, releases and holds and one address floods catalog reads. Reports the
// fans' hold submit-to-result p99 both times, the flooder's answers (429s expected) and whether
// every fan finished. Run it against a server with rate limits ON and TRUST_PROXY=true (fans get
// their own X-Forwarded-For address each, as behind a real proxy; the flooder has one).
import { goal, type Scenario, type ScenarioContext } from '../lib/context.ts';
import { LoadClient } from '../lib/http.ts';
import { Recorder } from '../lib/recorder.ts';
import { rush } from './rush.ts';

const FLOODER_IP = '203.0.113.66';

export const flood: Scenario = async (ctx) => {
  const fans = ctx.num('fans', 200);
  const base = ctx.num('user-base', 15_001);
  const floodUser = ctx.num('flood-user', 19_999);
  const started = Date.now();

  const alone = await phase(ctx, fans, base);
  let stop = false;
  const floodRecorder = new Recorder();
  const floodClient = new LoadClient(ctx.url, floodRecorder, 64);
  const flooding = flooder(ctx, floodClient, floodUser, () => stop);
  const flooded = await phase(ctx, fans, base + fans);
  stop = true;
  const answers = await flooding;
  await floodClient.close();

  const ratio = flooded.holdP99 / alone.holdP99;
  const finished = (p: typeof alone) => p.noAnswer === 0;
  return {
    durationSeconds: (Date.now() - started) / 1000,
    parameters: { fans, userBase: base, floodUser },
    extra: { alone, flooded, flooder: answers },
    goals: [
      goal('flooder refused (429s)', '> 0', answers.statuses['429'] ?? 0, (answers.statuses['429'] ?? 0) > 0),
      goal('every fan finished, with and without the flooder', '0 without an answer', alone.noAnswer + flooded.noAnswer, finished(alone) && finished(flooded)),
      goal('fans\' hold p99 with the flooder / without', '≤ 2', ratio, ratio <= 2),
      goal('audit after both runs', 'clean', alone.auditClean && flooded.auditClean ? 1 : 0, alone.auditClean && flooded.auditClean),
    ],
  };
};

/** One small rush on its own client and recorder (its fans each with their own address). */
async function phase(ctx: ScenarioContext, fans: number, userBase: number) {
  const recorder = new Recorder();
  const client = new LoadClient(ctx.url, recorder, 2000, { spreadIps: true });
  const args: Record<string, string | undefined> = { ...ctx.args, users: String(fans), arrival: '2', abandon: '0', 'user-base': String(userBase) };
  const num = (k: string, fb: number) => (args[k] === undefined ? fb : Number(args[k]));
  const result = await rush({ ...ctx, recorder, client, args, num });
  await client.close();
  const summary = recorder.summary(result.durationSeconds);
  const extra = result.extra as { outcomes: Record<string, number>; audit: { clean: boolean } };
  return {
    outcomes: extra.outcomes,
    noAnswer: extra.outcomes['no answer (client error)'] ?? 0,
    holdP99: summary.timingsMs['hold submit-to-result']?.p99 ?? NaN,
    holdP50: summary.timingsMs['hold submit-to-result']?.p50 ?? NaN,
    payP99: summary.timingsMs['payment submit-to-result']?.p99 ?? NaN,
    auditClean: extra.audit.clean,
  };
}

/** One account and one address, 32 requests in flight, cycling through four abusive requests. */
async function flooder(ctx: ScenarioContext, client: LoadClient, userId: number, stopped: () => boolean) {
  const token = await ctx.identity.token(userId);
  const headers = { 'x-forwarded-for': FLOODER_IP };
  const any = [200, 201, 202, 204, 400, 401, 403, 404, 409, 422, 429, 503];
  const statuses: Record<string, number> = {};
  let sent = 0;
  const requests = [
    () => client.request('flood charges', 'POST', '/api/wallet/charges', { token, headers, body: { amount: 1000 }, expected: any }),
    () => client.request('flood releases', 'DELETE', `/api/reservations/${1 + (sent % 5000)}`, { token, headers, expected: any }),
    () => client.request('flood holds', 'POST', '/api/reservations', { token, headers: { ...headers, 'x-queue-token': 'x' }, body: { scheduleId: 1, seatNumbers: [1] }, expected: any }),
    () => client.request('flood catalog', 'GET', `/api/schedules/${1 + (sent % 50)}/seats`, { headers, expected: any }),
  ];
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (!stopped()) {
      const res = await requests[sent++ % requests.length]!();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    }
  }));
  return { sent, statuses };
}
