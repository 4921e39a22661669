// docs/architecture.md carries the error-code table generated from the code (scripts/error-codes.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ARCHITECTURE_DOC, errorCodes, withErrorTable } from '../../scripts/error-codes.ts';
import { statusFor } from '../../src/api/errors.ts';

describe('docs/architecture.md', () => {
  it('its error-code table is the one generated from the code (run `npm run docs:errors` after changing a code or status)', () => {
    const doc = readFileSync(ARCHITECTURE_DOC, 'utf8');
    expect(doc).toBe(withErrorTable(doc));
  });

  it('the generated table lists every status of src/api/errors.ts and the codes raised in src/', () => {
    const codes = errorCodes();
    for (const e of codes) expect(e.status ?? 500).toBe(statusFor(e.code));
    expect(codes.find((e) => e.code === 'SEAT_UNAVAILABLE')).toMatchObject({ status: undefined, raisedIn: ['domain/reservation'] });
    expect(codes.find((e) => e.code === 'SOLD_OUT')).toMatchObject({ status: 409 });
  });
});
