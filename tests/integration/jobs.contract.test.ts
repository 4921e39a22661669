// The job contract as published: GET /api/jobs/{id} documents one result schema per job type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/app.ts';
import { api } from '../support/http.ts';
import { USER_JOB_RESULTS } from '../../src/jobs/jobs.results.ts';

let t: TestApi;
beforeAll(async () => { t = await startTestApi(); });
afterAll(async () => { await t.close(); });

describe('job result schemas', () => {
  it('the OpenAPI document gives GET /api/jobs/{id} one variant per job type, each with its result schema, and documents the event stream', async () => {
    const doc = (await api(t.url, '/openapi.json')).json;
    const schema = doc.paths['/api/jobs/{id}'].get.responses['200'].content['application/json'].schema;
    const variants = schema.oneOf ?? schema.anyOf;
    expect(variants.map((v: { properties: { type: { const: string } } }) => v.properties.type.const).sort()).toEqual(Object.keys(USER_JOB_RESULTS).sort());
    const hold = variants.find((v: { properties: { type: { const: string } } }) => v.properties.type.const === 'reservation.hold');
    expect(Object.keys(hold.properties.result.properties)).toEqual(expect.arrayContaining(['reservationId', 'status', 'expiresAt', 'seats']));
    expect(doc.paths['/api/jobs/{id}/events'].get).toBeDefined();
  });

});
