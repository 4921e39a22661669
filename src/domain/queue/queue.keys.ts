// Every key of one concert's waiting room shares the hash tag {q:<concertId>}, so on a Redis
// Cluster they live in one slot and the Lua scripts that touch several of them stay legal.
export function queueKeys(prefix: string, concertId: number) {
  const base = `${prefix}:{q:${concertId}}`;
  return {
    waiting: `${base}:waiting`,
    active: `${base}:active`,
    seen: `${base}:seen`,
    tokens: `${base}:tokens`,
    owners: `${base}:owners`,
    seq: `${base}:seq`,
    ended: `${base}:ended`,
    stats: `${base}:stats`,
    events: `${base}:admitted-events`,
    promoterLock: `${base}:promoter-lock`,
  };
}
export type QueueKeys = ReturnType<typeof queueKeys>;
