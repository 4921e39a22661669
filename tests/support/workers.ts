/** How many Vitest workers run test files in parallel; each gets its own database. */
export const MAX_WORKERS = Number(process.env.TEST_MAX_WORKERS ?? 3);

export function workerDbName(poolId: number | string): string {
  return `encore_test_${poolId}`;
}
