import { AppError } from '../../platform/errors.ts';

export class InsufficientBalanceError extends AppError {
  constructor(balance: number, amount: number) { super('INSUFFICIENT_BALANCE', `balance ${balance} is less than ${amount}`, { balance, amount }); }
}
export class WalletLimitError extends AppError {
  constructor(limit: 'maxCharge' | 'maxBalance', value: number) {
    super('LIMIT_EXCEEDED', limit === 'maxCharge' ? `a single charge may be at most ${value}` : `a balance may be at most ${value}`, { field: 'amount', limit, value });
  }
}
