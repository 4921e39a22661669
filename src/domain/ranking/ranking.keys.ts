// Ranking periods (UTC): the day, the ISO-8601 week and the month an event happened in. Keys
// carry the period so they roll over by themselves; TTLs keep old periods from piling up
// (the original system's 2 days, 8 days and 32 days).
export const PERIODS = ['daily', 'weekly', 'monthly'] as const;
export type Period = (typeof PERIODS)[number];
export const RANKING_TYPES = ['popular', 'sellout'] as const;
export type RankingType = (typeof RANKING_TYPES)[number];

export const PERIOD_TTL_SECONDS: Record<Period, number> = { daily: 2 * 86_400, weekly: 8 * 86_400, monthly: 32 * 86_400 };

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO-8601 week-year and week number of a UTC date. */
export function isoWeek(d: Date): { year: number; week: number } {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7; // Monday = 1 … Sunday = 7
  t.setUTCDate(t.getUTCDate() + 4 - day); // the Thursday of this week decides its year
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return { year: t.getUTCFullYear(), week: Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7) };
}

export function periodLabel(period: Period, at: Date): string {
  if (period === 'daily') return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  if (period === 'monthly') return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}`;
  const { year, week } = isoWeek(at);
  return `${year}-W${pad(week)}`;
}

export function rankingKey(prefix: string, type: RankingType, period: Period, at: Date): string {
  // One hash tag for all ranking keys: the apply script touches several at once (Redis Cluster).
  return `${prefix}:{ranking}:${type}:${period}:${periodLabel(period, at)}`;
}
