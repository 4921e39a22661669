// Bad input, everywhere: a property-based run (fast-check) over every operation of /openapi.json,
// so a new route is covered without editing this file. Each case sends malformed, oversized,
// wrong-typed, boundary and injection values in the path, the query, the headers and the body,
// with and without a valid bearer token. Every answer must be < 500, and every error answer the
// one JSON shape with a known stable code and no stack trace, within a deadline (never a hang).
// Afterwards the SQL audit must be clean. FUZZ_RUNS (default 25) sets the cases per operation
// and auth mode; the run prints how many cases it sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestApi, type TestApi } from '../support/app.ts';
import { userIdSource } from '../support/env.ts';
import { runAudit } from '../../src/domain/audit/audit.service.ts';
import { statusFor } from '../../src/api/errors.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const DEADLINE_MS = 15_000;

interface Param { name: string; in: 'path' | 'query' | 'header'; schema?: { type?: string } }
interface Operation { method: string; path: string; parameters: Param[]; hasBody: boolean; body?: { properties?: Record<string, unknown> } }

let t: TestApi;
let operations: Operation[];
let jwt: string;
const users = userIdSource();
beforeAll(async () => {
  t = await startTestApi();
  jwt = await t.token(users(1)[0]!);
  const doc = await (await fetch(`${t.url}/openapi.json`)).json() as { paths: Record<string, Record<string, { parameters?: Param[]; requestBody?: { content: Record<string, { schema: Operation['body'] }> } }>> };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(), path, parameters: op.parameters ?? [], hasBody: !!op.requestBody,
      body: op.requestBody?.content['application/json']?.schema,
    })));
});
afterAll(async () => {
  await t.close();
});

// Values an attacker or a broken client sends.
const nasty = fc.oneof(
  fc.constantFrom(
    '', ' ', '0', '-1', '1.5', '1e308', 'NaN', 'Infinity', '9007199254740993', '99999999999999999999', '-0', '0x10',
    "' OR 1=1 --", '1; DROP TABLE seat; --', '" OR ""="', '../../etc/passwd', '%00', '\u0000', '<script>alert(1)</script>',
    '${jndi:ldap://x}', '{{7*7}}', '__proto__', 'constructor', 'null', 'true', '[]', '{}', '\uFFFF\uD800', '𝕏'.repeat(50),
    '+275760-09-01T00:00:00Z', '2026-02-30', '9999-12-31', 'x'.repeat(10_000),
  ),
  fc.string({ maxLength: 64 }),
  fc.integer().map(String),
  fc.double().map(String),
);
const jsonValue = fc.oneof(
  nasty,
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, -(2 ** 63), Number.MAX_SAFE_INTEGER + 2),
  fc.array(fc.oneof(fc.integer(), nasty), { maxLength: 20 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), nasty), { maxKeys: 5 }),
);
/** A body: wrong-typed or boundary values for the documented properties, extra keys, or not an object at all. */
const bodyFor = (op: Operation) => {
  const props = Object.keys(op.body?.properties ?? {});
  const shaped = fc.record(Object.fromEntries(props.map((p) => [p, jsonValue])), { requiredKeys: [] });
  return fc.oneof(
    shaped.map((o) => JSON.stringify(o)),
    fc.tuple(shaped, fc.dictionary(fc.string({ maxLength: 8 }), jsonValue, { maxKeys: 3 })).map(([a, b]) => JSON.stringify({ ...b, ...a })),
    jsonValue.map((v) => JSON.stringify(v)),
    fc.constantFrom('{', '{"a":', 'null', '[1,2', '\u0000', `{"x":"${'y'.repeat(20_000)}"}`),
  );
};

const enc = (v: string) => encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '\uFFFD')).slice(0, 4000);

async function send(op: Operation, withAuth: boolean, path: Record<string, string>, query: [string, string][], headers: Record<string, string>, body: string | undefined) {
  let url = `${t.url}${op.path.replace(/\{(\w+)\}/g, (_, name: string) => enc(path[name] ?? ''))}`;
  if (query.length) url += `?${query.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}`;
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (/^[\t\x20-\x7e]*$/.test(v)) h[k] = v.slice(0, 4000);
  if (withAuth) h.authorization = `Bearer ${jwt}`;
  if (body !== undefined) h['content-type'] = 'application/json';
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), DEADLINE_MS);
  try {
    const res = await fetch(url, { method: op.method, headers: h, body: op.method === 'GET' ? undefined : body, signal: controller.signal });
    // A stream (SSE) that opened is an answer, not a hang: close it.
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
      controller.abort();
      return { status: res.status, text: '' };
    }
    return { status: res.status, text: await res.text() };
  } catch (err) {
    throw new Error(`${op.method} ${url} did not answer within ${DEADLINE_MS} ms: ${(err as Error).message}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

describe('bad input on every route of /openapi.json', () => {
  it('never a 5xx, never a hang, never a stack trace; errors have a stable code; the audit stays clean', async () => {
    expect(operations.length).toBeGreaterThan(5);
    let cases = 0;
    const statuses = new Map<number, number>();
    for (const op of operations) {
      const pathParams = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      const queryParams = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
      const headerParams = op.parameters.filter((p) => p.in === 'header').map((p) => p.name);
      for (const withAuth of [false, true]) {
        await fc.assert(
          fc.asyncProperty(
            fc.record(Object.fromEntries(pathParams.map((n) => [n, nasty]))) as fc.Arbitrary<Record<string, string>>,
            fc.array(fc.tuple(fc.oneof(fc.constantFrom(...(queryParams.length ? queryParams : ['x'])), fc.string({ maxLength: 8 })), nasty), { maxLength: 4 }),
            fc.record(Object.fromEntries([...headerParams, 'Idempotency-Key', 'X-Queue-Token'].map((n) => [n, nasty])), { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>,
            op.hasBody ? fc.option(bodyFor(op), { nil: undefined }) : fc.constant(undefined),
            async (path, query, headers, body) => {
              cases++;
              const res = await send(op, withAuth, path, query, headers, body);
              statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
              const where = `${op.method} ${op.path} (auth: ${withAuth}) → ${res.status} ${res.text.slice(0, 200)}`;
              expect(res.status, where).toBeLessThan(500);
              expect(res.text, where).not.toMatch(/\bat [^\n]+\.(ts|js):\d+|Error: .*\n\s+at /);
              if (res.status >= 400) {
                const json = JSON.parse(res.text) as { error: { code: string; message: string } };
                expect(typeof json.error.message, where).toBe('string');
                expect(statusFor(json.error.code), where).toBe(res.status);
              }
            },
          ),
          { numRuns: RUNS, endOnFailure: true },
        );
      }
    }
    console.log(`bad-input fuzz: ${cases} cases over ${operations.length} operations; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    const audit = await runAudit(t.rt.orm.em.fork());
    expect(audit.violations).toEqual({});
  }, 240_000);
});
