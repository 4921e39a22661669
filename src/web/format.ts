// How numbers and times read on the pages.
const won = new Intl.NumberFormat('en-US');
export const money = (n: number) => `₩${won.format(n)}`;

export const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
export const clock = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

/** "about 3 min", "less than a minute", "about 1 h 20 min". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown';
  if (seconds < 60) return 'less than a minute';
  const min = Math.round(seconds / 60);
  if (min < 60) return `about ${min} min`;
  // Far back in a slow line an estimate in hours means little; say so rather than print a number.
  if (min > 12 * 60) return 'many hours';
  return `about ${Math.floor(min / 60)} h ${min % 60} min`;
}

/** mm:ss for a countdown. */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export const seatList = (nums: number[]) => (nums.length === 1 ? `seat ${nums[0]}` : `seats ${nums.join(', ')}`);
