-- Reads the state of a (signature-checked) token's place. Read-only: signs of life are recorded
-- in batches by the API (ZADD XX GT), not here, so a poll costs no write.
-- A token with seq 0 names the user's pre-queue place: in `pre` (or `entrants` while the opening
-- runs) before it has a place, a score <= 0 in `waiting` (or `activeSeq`) after (docs/fairness.md).
-- numberOfKeys: 6
-- KEYS[1] waiting    ZSET userId -> arrival sequence number (pre-queue places: <= 0)
-- KEYS[2] active     ZSET userId -> active-until (ms)
-- KEYS[3] activeSeq  HASH userId -> seq of the admitted place
-- KEYS[4] meta       HASH epoch, paused, soldOut, allHeld, rate, ceiling, opening, opensAt
-- KEYS[5] pre        SET userIds in the pre-queue
-- KEYS[6] entrants   SET the frozen pre-queue while the opening assigns its places
-- ARGV[1] userId, ARGV[2] the token's seq, ARGV[3] the token's epoch, ARGV[4] now (ms)
-- Returns {state, position, activeUntil, waitingCount, paused, allHeld, rate, free, opensAt}
--   free = admission slots open at the last tick (ceiling - active), -1 before the first tick
--   state (PLACE_STATE in queue.scripts.ts): -1 = RESET (the line's data is gone: QUEUE_RESET),
--   1 = WAITING (position 0: in the pre-queue, opensAt then set), 2 = ACTIVE, 3 = EXPIRED, 4 = SOLD_OUT
local user, seq, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[4])
local m = redis.call('HMGET', KEYS[4], 'epoch', 'soldOut', 'paused', 'allHeld', 'rate', 'ceiling', 'opening', 'opensAt')
if m[1] ~= ARGV[3] then return {-1, 0, 0, 0, '0', '0', '0', -1, 0} end
local paused, allHeld, rate = m[3] or '0', m[4] or '0', m[5] or '0'
if m[2] == '1' then return {4, 0, 0, 0, paused, allHeld, rate, -1, 0} end
local function same(s)
  s = tonumber(s)
  return s == seq or (seq == 0 and s <= 0)
end
local untilMs = redis.call('ZSCORE', KEYS[2], user)
if untilMs then
  local a = redis.call('HGET', KEYS[3], user)
  if tonumber(untilMs) > now and a and same(a) then
    return {2, 0, untilMs, 0, paused, allHeld, rate, -1, 0}
  end
  return {3, 0, 0, 0, paused, allHeld, rate, -1, 0}
end
local s = redis.call('ZSCORE', KEYS[1], user)
if not s then
  if seq == 0 then
    if redis.call('SISMEMBER', KEYS[5], user) == 1 then
      return {1, 0, 0, redis.call('SCARD', KEYS[5]), paused, allHeld, rate, -1, m[8] or 0}
    end
    if m[7] == 'started' and redis.call('SISMEMBER', KEYS[6], user) == 1 then
      return {1, 0, 0, redis.call('SCARD', KEYS[6]), paused, allHeld, rate, -1, m[8] or 0}
    end
  end
  return {3, 0, 0, 0, paused, allHeld, rate, -1, 0}
end
if not same(s) then return {3, 0, 0, 0, paused, allHeld, rate, -1, 0} end
local free = -1
if m[6] then free = tonumber(m[6]) - redis.call('ZCARD', KEYS[2]) end
return {1, redis.call('ZRANK', KEYS[1], user) + 1, 0, redis.call('ZCARD', KEYS[1]), paused, allHeld, rate, free, 0}
