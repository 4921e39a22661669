import { InsufficientBalanceError, WalletLimitError } from './wallet.errors.ts';

export interface WalletLimits { maxCharge: number; maxBalance: number }

/** The balance after charging `amount`, or the limit it breaks. */
export function chargedBalance(balance: number, amount: number, limits: WalletLimits): number {
  if (amount > limits.maxCharge) throw new WalletLimitError('maxCharge', limits.maxCharge);
  if (balance + amount > limits.maxBalance) throw new WalletLimitError('maxBalance', limits.maxBalance);
  return balance + amount;
}

/** The balance after paying `amount`; a balance never goes negative. */
export function debitedBalance(balance: number, amount: number): number {
  if (amount > balance) throw new InsufficientBalanceError(balance, amount);
  return balance - amount;
}
