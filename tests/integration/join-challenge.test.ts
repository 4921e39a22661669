// The join challenge over HTTP with the real Redis: off unless the concert is switched on; then a
// join needs a solved, unexpired challenge issued to this user for this concert, used once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { makeConcert } from '../support/fixtures.ts';
import { userIdSource } from '../support/env.ts';
import { api } from '../support/http.ts';
import { adminToken } from '../support/admin.ts';
import { solveChallenge } from '../../src/domain/challenge/challenge.rules.ts';

const users = userIdSource();
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ JOIN_CHALLENGE_DIFFICULTY: '10' });
});
afterAll(async () => {
  await t.close();
});

const join = async (jwt: string, body: unknown) => api(t.url, '/api/queue/tokens', { method: 'POST', token: jwt, json: body });
const fetchChallenge = async (jwt: string, concertId: number) => (await api(t.url, `/api/queue/challenge?concertId=${concertId}`, { token: jwt })).json;

describe('join challenge', () => {
  it('a concert not switched on needs no challenge', async () => {
    const { concert } = await makeConcert(t.rt.orm.em.fork());
    const jwt = await t.token(users(1)[0]!);
    expect(await fetchChallenge(jwt, concert.id)).toEqual({ required: false });
    expect((await join(jwt, { concertId: concert.id })).status).toBe(201);
  });

  it('a switched-on concert: no solution is 428, a solved challenge joins once, its replay is 409', async () => {
    const { concert } = await makeConcert(t.rt.orm.em.fork());
    await t.api.challenges.require([concert.id]);
    const [u1, u2] = users(2);
    const jwt = await t.token(u1!);
    const missing = await join(jwt, { concertId: concert.id });
    expect(missing.status).toBe(428);
    expect(missing.json.error.code).toBe('CHALLENGE_REQUIRED');

    const c = await fetchChallenge(jwt, concert.id);
    expect(c).toMatchObject({ required: true, difficulty: 10, algorithm: 'sha256' });
    const nonce = solveChallenge(c.challenge, c.difficulty);
    expect((await join(jwt, { concertId: concert.id, challenge: c.challenge, nonce: 'not-it' })).json.error.code).toBe('CHALLENGE_INVALID');
    expect((await join(jwt, { concertId: concert.id, challenge: c.challenge, nonce })).status).toBe(201);
    const replay = await join(jwt, { concertId: concert.id, challenge: c.challenge, nonce });
    expect(replay.status).toBe(409);
    expect(replay.json.error.code).toBe('CHALLENGE_REPLAYED');

    // Another user cannot spend it.
    const other = await join(await t.token(u2!), { concertId: concert.id, challenge: c.challenge, nonce });
    expect(other.json.error.code).toBe('CHALLENGE_INVALID');
  });

  it('an admin switches a concert\'s challenge on and off; each switch is audited; a fan may not', async () => {
    const { concert } = await makeConcert(t.rt.orm.em.fork());
    const [adminId, fanId] = users(2);
    const admin = await adminToken(t, adminId!);
    const fan = await t.token(fanId!);
    const switchTo = (enabled: unknown, token = admin) =>
      api(t.url, `/api/admin/concerts/${concert.id}/challenge`, { method: 'POST', token, json: { enabled } });

    expect((await switchTo(true, fan)).status).toBe(403);
    expect((await switchTo('yes')).json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'enabled' } });
    expect((await api(t.url, '/api/admin/concerts/999999999/challenge', { method: 'POST', token: admin, json: { enabled: true } })).status).toBe(404);

    const on = await switchTo(true);
    expect(on.status).toBe(200);
    expect(on.json).toEqual({ concertId: concert.id, enabled: true, difficulty: 10 });
    expect(await fetchChallenge(fan, concert.id)).toMatchObject({ required: true });
    expect((await join(fan, { concertId: concert.id })).status).toBe(428);

    expect((await switchTo(false)).json).toMatchObject({ enabled: false });
    expect(await fetchChallenge(fan, concert.id)).toEqual({ required: false });
    expect((await join(fan, { concertId: concert.id })).status).toBe(201);

    const audit = await api(t.url, `/api/admin/audit?action=concert.challenge&targetId=${concert.id}`, { token: admin });
    expect(audit.json.items.map((e: { actorId: number; after: unknown }) => [e.actorId, e.after])).toEqual([
      [adminId, { challenge: false }], [adminId, { challenge: true }],
    ]);
  });
});
