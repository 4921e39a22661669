import { describe, expect, it } from 'vitest';
import { chargedBalance, debitedBalance } from '../../src/domain/wallet/wallet.rules.ts';

const limits = { maxCharge: 1000, maxBalance: 5000 };
const errorOf = (f: () => unknown) => {
  try { f(); } catch (e) { return e as { code: string; details: Record<string, unknown> }; }
  throw new Error('did not throw');
};

describe('wallet rules', () => {
  it('a charge adds its amount, up to the single-charge and the balance limits inclusive', () => {
    expect(chargedBalance(0, 1000, limits)).toBe(1000);
    expect(chargedBalance(4000, 1000, limits)).toBe(5000);
  });

  it('a charge over maxCharge is LIMIT_EXCEEDED naming the amount and the maxCharge limit', () => {
    expect(errorOf(() => chargedBalance(0, 1001, limits))).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { field: 'amount', limit: 'maxCharge', value: 1000 } });
  });

  it('a charge that would take the balance over maxBalance is LIMIT_EXCEEDED naming the maxBalance limit', () => {
    expect(errorOf(() => chargedBalance(4001, 1000, limits))).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'maxBalance', value: 5000 } });
  });

  it('a debit subtracts its amount and may empty the balance, never take it below zero', () => {
    expect(debitedBalance(300, 100)).toBe(200);
    expect(debitedBalance(300, 300)).toBe(0);
    expect(errorOf(() => debitedBalance(300, 301))).toMatchObject({ code: 'INSUFFICIENT_BALANCE', details: { balance: 300, amount: 301 } });
  });
});
