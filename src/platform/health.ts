export type Check = () => Promise<void>;
export interface HealthReport {
  status: 'ok' | 'down';
  checks: Record<string, { status: 'ok' | 'down'; latencyMs: number; error?: string }>;
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every dependency check in parallel, each bounded so one hung dependency cannot hang /health/ready. */
export async function runChecks(checks: Record<string, Check>, timeoutMs = 2000): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      const started = performance.now();
      try {
        await withTimeout(check(), timeoutMs);
        return [name, { status: 'ok' as const, latencyMs: Math.round(performance.now() - started) }] as const;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        return [name, { status: 'down' as const, latencyMs: Math.round(performance.now() - started), error }] as const;
      }
    }),
  );
  const result = Object.fromEntries(entries);
  return { status: entries.every(([, c]) => c.status === 'ok') ? 'ok' : 'down', checks: result };
}
