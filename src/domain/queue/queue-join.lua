-- Joins a concert's waiting room, atomically and idempotently: a user who is already waiting or
-- active gets their existing place back (the caller re-signs the same token from it); otherwise
-- they go to the back of the line, or, before the sale opens, into the pre-queue (a set: places
-- are drawn at the opening, docs/fairness.md). A sold-out line takes nobody.
-- A pre-queue place's token carries seq 0; at the opening it becomes a score <= 0 in `waiting`
-- (ahead of every later arrival, whose seq is >= 1), so "seq 0" names it before and after.
-- numberOfKeys: 9
-- KEYS[1] waiting     ZSET userId -> arrival sequence number (pre-queue places: <= 0)
-- KEYS[2] seen        HASH userId -> last sign of life (ms)
-- KEYS[3] active      ZSET userId -> active-until (ms)
-- KEYS[4] activeSeen  ZSET userId -> last request (ms)
-- KEYS[5] activeSeq   HASH userId -> seq of the admitted place
-- KEYS[6] seq         STRING arrival counter
-- KEYS[7] meta        HASH epoch, paused, soldOut, allHeld, rate, ceiling, opening, opensAt, preJoined
-- KEYS[8] pre         SET userIds in the pre-queue
-- KEYS[9] entrants    SET the frozen pre-queue while the opening assigns its places
-- ARGV[1] userId
-- ARGV[2] now (ms)
-- ARGV[3] a fresh epoch, used only when the line has none yet (first join, or after a data loss)
-- ARGV[4] the sale's opening (ms), 0 = none: before it, and before the opening has started, a
--         new place goes into the pre-queue
-- Returns {state, epoch, seq, position, activeUntil, created, waitingCount, paused, allHeld, rate, free, opensAt}
--   free = admission slots open at the last tick (ceiling - active), -1 before the first tick
--   state (PLACE_STATE in queue.scripts.ts): 1 = WAITING (position 1-based, 0 = in the pre-queue,
--   not placed yet), 2 = ACTIVE, 4 = SOLD_OUT; created 1 for a new place; opensAt (ms) for a
--   pre-queue place, else 0
local user, now = ARGV[1], tonumber(ARGV[2])
local m = redis.call('HMGET', KEYS[7], 'epoch', 'soldOut', 'paused', 'allHeld', 'rate', 'ceiling', 'opening', 'opensAt')
local epoch = m[1]
if not epoch then
  epoch = ARGV[3]
  redis.call('HSET', KEYS[7], 'epoch', epoch)
end
local paused, allHeld, rate = m[3] or '0', m[4] or '0', m[5] or '0'
local free = -1
if m[6] then free = tonumber(m[6]) - redis.call('ZCARD', KEYS[3]) end
if m[2] == '1' then return {4, epoch, 0, 0, 0, 0, 0, paused, allHeld, rate, free, 0} end
-- The token's seq of a place: every pre-queue place (score <= 0) is seq 0.
local function tokenSeq(s) if tonumber(s) <= 0 then return 0 end return s end
local untilMs = redis.call('ZSCORE', KEYS[3], user)
if untilMs then
  if tonumber(untilMs) > now then
    return {2, epoch, tokenSeq(redis.call('HGET', KEYS[5], user) or '0'), 0, untilMs, 0, 0, paused, allHeld, rate, free, 0}
  end
  -- Its active time ran out but the promoter has not swept it yet: end it now, queue again.
  redis.call('ZREM', KEYS[3], user)
  redis.call('ZREM', KEYS[4], user)
  redis.call('HDEL', KEYS[5], user)
end
local s = redis.call('ZSCORE', KEYS[1], user)
if s then
  redis.call('HSET', KEYS[2], user, ARGV[2])
  return {1, epoch, tokenSeq(s), redis.call('ZRANK', KEYS[1], user) + 1, 0, 0, redis.call('ZCARD', KEYS[1]), paused, allHeld, rate, free, 0}
end
local opening = m[7]
if redis.call('SISMEMBER', KEYS[8], user) == 1 then
  return {1, epoch, 0, 0, 0, 0, redis.call('SCARD', KEYS[8]), paused, allHeld, rate, free, m[8] or ARGV[4]}
end
if opening == 'started' and redis.call('SISMEMBER', KEYS[9], user) == 1 then
  return {1, epoch, 0, 0, 0, 0, redis.call('SCARD', KEYS[9]), paused, allHeld, rate, free, m[8] or ARGV[4]}
end
local opensAt = tonumber(ARGV[4])
if not opening and opensAt > now then
  redis.call('SADD', KEYS[8], user)
  redis.call('HSET', KEYS[7], 'opensAt', ARGV[4])
  redis.call('HINCRBY', KEYS[7], 'preJoined', 1)
  return {1, epoch, 0, 0, 0, 1, redis.call('SCARD', KEYS[8]), paused, allHeld, rate, free, ARGV[4]}
end
local seq = redis.call('INCR', KEYS[6])
redis.call('ZADD', KEYS[1], seq, user)
redis.call('HSET', KEYS[2], user, ARGV[2])
-- The newest arrival is last in line: its position is the line's length (O(1), not a ZRANK).
local count = redis.call('ZCARD', KEYS[1])
return {1, epoch, seq, count, 0, 1, count, paused, allHeld, rate, free, 0}
