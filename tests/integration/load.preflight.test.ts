// The load runner's preflight: operator mistakes end with one clear sentence and exit 1, never a
// stack trace (the runner is run as the CLI, as an operator would).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createConnection } from 'mysql2/promise';
import { inject } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { makeConcert } from '../support/fixtures.ts';
import { uniqueId } from '../support/env.ts';
import { createOrm, parseDatabaseUrl } from '../../src/platform/db.ts';
import { ormModel } from '../../src/domain/model.ts';

const runner = fileURLToPath(new URL('../../load/run.ts', import.meta.url));

function runLoad(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [runner, ...args], { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A port nothing listens on: bound, read, then closed. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const expectOneSentence = (stderr: string) => {
  const lines = stderr.trim().split('\n').filter((l) => !/TimeoutNegativeWarning|Timeout duration|--trace-warnings/.test(l));
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack frame
  return lines[0]!;
};

let seeded: TestApi;
let empty: TestApi;
let emptyDb: string;

beforeAll(async () => {
  seeded = await startTestApi();
  await makeConcert(seeded.rt.orm.em.fork(), { seats: 1 });
  // An unseeded database of its own: migrated, no concerts.
  emptyDb = `${process.env.TEST_DB_PREFIX ?? 'encore_test'}_empty_${uniqueId()}`;
  const db = parseDatabaseUrl(inject('databaseUrl'));
  const conn = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
  await conn.query(`create database \`${emptyDb}\``);
  await conn.end();
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${emptyDb}`;
  const orm = await createOrm({ DATABASE_URL: url.toString(), DB_DRIVER: inject('dbDriver'), DB_POOL_MAX: 2 }, ormModel);
  await orm.migrator.up();
  await orm.close(true);
  empty = await startTestApi({ DATABASE_URL: url.toString() });
}, 120_000);
afterAll(async () => {
  await seeded?.close();
  await empty?.close();
  const db = parseDatabaseUrl(inject('databaseUrl'));
  const conn = await createConnection({ host: db.host, port: db.port, user: db.user, password: db.password });
  await conn.query(`drop database if exists \`${emptyDb}\``);
  await conn.end();
});

describe('load runner preflight', () => {
  it('no server at the URL: one sentence, exit 1', async () => {
    const port = await closedPort();
    const r = await runLoad(['seed-plan', '--url', `http://127.0.0.1:${port}`, '--duration', '1']);
    expect(r.code).toBe(1);
    expect(expectOneSentence(r.stderr)).toBe(`load: No Encore server answers at http://127.0.0.1:${port} (connection refused): start one (npm run up) or pass --url.`);
  });

  it('another JWT_SECRET than the server\'s: one sentence naming it, exit 1', async () => {
    const r = await runLoad(['seed-plan', '--url', seeded.url, '--jwt-secret', 'not-the-servers-secret-not-the-servers-secret']);
    expect(r.code).toBe(1);
    expect(expectOneSentence(r.stderr)).toMatch(/^load: The server at .* rejects this runner's tokens \(INVALID_TOKEN\): its JWT_SECRET differs/);
  });

  it('an unseeded database: one sentence saying to seed, exit 1', async () => {
    const r = await runLoad(['seed-plan', '--url', empty.url], { JWT_SECRET: empty.rt.config.JWT_SECRET });
    expect(r.code).toBe(1);
    expect(expectOneSentence(r.stderr)).toMatch(/has no concerts: seed it first/);
  });

  it('a bad option: one sentence, exit 1', async () => {
    const r = await runLoad(['seed-plan', '--url', seeded.url, '--duration', 'soon'], { JWT_SECRET: seeded.rt.config.JWT_SECRET });
    expect(r.code).toBe(1);
    expect(expectOneSentence(r.stderr)).toMatch(/--duration must be a number/);
  });
});
