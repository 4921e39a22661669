// Every key of one concert's waiting room shares the hash tag {q:<concertId>}, so on a Redis
// Cluster they live in one slot and the Lua scripts that touch several of them stay legal.
// Per waiting fan Redis keeps one sorted-set entry (`waiting`) and one hash field (`seen`) and
// nothing else: the fan's token is signed, not stored (issue 10: at most ~200 bytes per waiting fan).
export function queueKeys(prefix: string, concertId: number) {
  const base = `${prefix}:{q:${concertId}}`;
  return {
    /** ZSET userId -> arrival sequence number (the line, FIFO). */
    waiting: `${base}:waiting`,
    /** HASH userId -> last sign of life (ms), waiting fans only (swept incrementally by the tick). */
    seen: `${base}:seen`,
    /** ZSET userId -> active-until (ms). */
    active: `${base}:active`,
    /** ZSET userId -> last request with the token (ms), active fans only. */
    activeSeen: `${base}:active-seen`,
    /** HASH userId -> the sequence number of the place that was admitted (which token is ACTIVE). */
    activeSeq: `${base}:active-seq`,
    /** STRING arrival counter. */
    seq: `${base}:seq`,
    /** SET userIds who joined before the sale opens (the pre-queue), until the opening starts. */
    pre: `${base}:pre`,
    /** SET the pre-queue frozen at the opening (renamed from `pre`), while its places are assigned. */
    entrants: `${base}:entrants`,
    /** LIST the pre-queue's entrant ids, sorted: published after the opening (docs/fairness.md). */
    entrantIds: `${base}:entrant-ids`,
    /** HASH epoch, paused, soldOut, allHeld, rate, at, allowance, opensAt, opening…: the line's own state. */
    meta: `${base}:meta`,
    /** STREAM of admission and sold-out events not yet relayed to Kafka. */
    events: `${base}:admitted-events`,
    promoterLock: `${base}:promoter-lock`,
    relayLock: `${base}:relay-lock`,
  };
}
export type QueueKeys = ReturnType<typeof queueKeys>;

/** The pub/sub channel that carries every concert's state after each admission tick. */
export function queueStateChannel(prefix: string): string {
  return `${prefix}:queue-state`;
}
