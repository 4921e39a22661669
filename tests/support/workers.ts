/** How many Vitest workers run test files in parallel; each gets its own database. */
export const MAX_WORKERS = Number(process.env.TEST_MAX_WORKERS ?? 3);

/**
 * `TEST_DB_PREFIX` lets two checkouts run their suites at once on one MariaDB without dropping
 * each other's databases (the app user may create `encore%` databases only).
 */
const prefix = process.env.TEST_DB_PREFIX ?? 'encore_test';
if (!prefix.startsWith('encore')) throw new Error(`TEST_DB_PREFIX must start with "encore" (got ${prefix})`);

export function workerDbName(poolId: number | string): string {
  return `${prefix}_${poolId}`;
}
